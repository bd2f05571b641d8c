import CLinuxShim
import Glibc
import IPCProtocol
import LinuxSystem
import Synchronization

/// The helper's Unix socket server.
///
/// The socket lives in its own directory (0750, group of the front's user) with mode 0660, so other
/// users cannot even connect; on every accepted connection the peer's uid is read with SO_PEERCRED
/// before a single byte is read, and anyone but the front's user is refused and audited. Each
/// connection is served by its own thread, one request at a time; an oversized, truncated,
/// malformed or out-of-order frame closes that connection and nothing else.
public final class HelperServer: Sendable {
    /// Connections served at once; more are refused and audited.
    public static let maximumConnections = 32
    /// Once a frame has started, the rest of it must arrive within this time.
    public static let frameDeadlineMilliseconds: Int32 = 10_000

    let socketPath: String
    let frontUID: UInt32
    let frontGID: UInt32
    let audit: AuditLog
    let handler: CommandHandler
    let active = Atomic<Int>(0)
    /// The memory large frames may hold across all connections at once.
    let frameBudget = FrameMemoryBudget()

    public init(socketPath: String, frontUID: UInt32, frontGID: UInt32, audit: AuditLog, handler: CommandHandler) {
        self.socketPath = socketPath
        self.frontUID = frontUID
        self.frontGID = frontGID
        self.audit = audit
        self.handler = handler
    }

    /// Creates the socket directory and socket with their permissions, and starts accepting.
    ///
    /// The socket is bound, given to the front's group and listening under a temporary name first,
    /// then renamed over the old one: a front that connects while a restarted helper sets up finds
    /// either the old socket (refused: it retries) or the ready one, never one it may not open yet.
    public func start() throws(SystemError) {
        let directory = parentDirectory(socketPath)
        if mkdir(directory, 0o750) != 0, errno != EEXIST { throw SystemError("mkdir", subject: directory) }
        var st = stat()
        guard lstat(directory, &st) == 0 else { throw SystemError("lstat", subject: directory) }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { throw SystemError("socket directory", errno: ENOTDIR, subject: directory) }
        try retryingSyscall("chown", subject: directory) { chown(directory, 0, frontGID) }
        try retryingSyscall("chmod", subject: directory) { chmod(directory, 0o750) }

        if lstat(socketPath, &st) == 0, (st.st_mode & S_IFMT) != S_IFSOCK {
            throw SystemError("stale socket", errno: EEXIST, subject: socketPath)
        }
        let temporaryPath = socketPath + ".new"
        if lstat(temporaryPath, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFSOCK else { throw SystemError("stale socket", errno: EEXIST, subject: temporaryPath) }
            unlink(temporaryPath)
        }
        let fd = try retryingSyscall("socket") { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        guard let address = UnixSocketAddress(path: temporaryPath) else {
            close(fd)
            throw SystemError("bind", errno: ENAMETOOLONG, subject: temporaryPath)
        }
        let oldMask = umask(0o177)
        let bound = address.withSocketAddress { bind(fd, $0, $1) }
        umask(oldMask)
        guard bound == 0 else {
            let error = SystemError("bind", subject: temporaryPath)
            close(fd)
            throw error
        }
        do throws(SystemError) {
            try retryingSyscall("chown", subject: temporaryPath) { chown(temporaryPath, 0, frontGID) }
            try retryingSyscall("chmod", subject: temporaryPath) { chmod(temporaryPath, 0o660) }
            try retryingSyscall("listen") { listen(fd, 16) }
            try retryingSyscall("rename", subject: socketPath) { rename(temporaryPath, socketPath) }
        } catch {
            close(fd)
            unlink(temporaryPath)
            throw error
        }
        startThread { [self] in self.acceptLoop(fd) }
    }

    func acceptLoop(_ listener: Int32) {
        while true {
            let fd = cshim_accept_cloexec(listener)
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                // EMFILE and friends: back off briefly instead of spinning.
                usleep(100_000)
                continue
            }
            var cred = cshim_ucred()
            guard cshim_peercred(fd, &cred) == 0 else {
                close(fd)
                continue
            }
            guard cred.uid == frontUID else {
                try? audit.record("peer-rejected", [
                    ("peer_uid", .number(String(cred.uid))), ("peer_pid", .number(String(cred.pid))),
                    ("reason", .string("uid is not the front's")), ("origin", .string("helper")),
                ])
                close(fd)
                continue
            }
            guard active.add(1, ordering: .relaxed).newValue <= Self.maximumConnections else {
                active.subtract(1, ordering: .relaxed)
                try? audit.record("peer-rejected", [
                    ("peer_uid", .number(String(cred.uid))), ("reason", .string("connection limit reached")), ("origin", .string("helper")),
                ])
                close(fd)
                continue
            }
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let peer = cred
            startThread { [self] in
                self.serve(fd, peer: peer)
                close(fd)
                self.active.subtract(1, ordering: .relaxed)
            }
        }
    }

    func serve(_ fd: Int32, peer: cshim_ucred) {
        var lastID: UInt64 = 0
        while true {
            let payload: [UInt8]
            switch readFrame(fd) {
            case .closed: return
            case .failed(let reason):
                badFrame(peer, reason)
                return
            case .frame(let bytes): payload = bytes
            }
            // The frame's reservation (readFrame) is held until its reply is written.
            defer { frameBudget.release(payload.count) }
            let request: RequestEnvelope
            do {
                request = try StrictJSON.decode(RequestEnvelope.self, from: payload)
            } catch {
                badFrame(peer, "undecodable request: \(error)")
                return
            }
            guard request.version == IPCVersion.current else {
                badFrame(peer, "protocol version \(request.version) is not \(IPCVersion.current)")
                return
            }
            guard request.id > lastID else {
                badFrame(peer, "request id \(request.id) is not greater than \(lastID)")
                return
            }
            lastID = request.id
            let context = AuditContext(log: audit, envelope: request, peerUID: peer.uid)
            let outcome = handler.handle(request.command, context: context)
            // The command's outcome records are durable before its reply says what happened. Should
            // that fsync fail, the reply still goes (the acts happened) and the log refuses every
            // later record, so every later change is refused (503) until the helper restarts.
            try? audit.sync()
            do {
                let reply = try StrictJSON.encode(ReplyEnvelope(id: request.id, outcome: outcome))
                try writeAll(fd, try Frame.encode(reply))
            } catch {
                return
            }
        }
    }

    func badFrame(_ peer: cshim_ucred, _ reason: String) {
        try? audit.record("bad-frame", [("peer_uid", .number(String(peer.uid))), ("reason", .string(reason)), ("origin", .string("helper"))])
    }

    enum FrameRead {
        case frame([UInt8])
        case closed
        case failed(String)
    }

    /// Reads one frame: waits as long as needed for its first byte, then gives the rest a deadline.
    /// The payload buffer grows with the bytes that arrive (``FramePayloadReader``), never to the
    /// length the header announces, so a connection costs memory only for what its peer really sent.
    func readFrame(_ fd: Int32) -> FrameRead {
        var header = [UInt8](repeating: 0, count: Frame.headerSize)
        switch readExactly(fd, into: &header, from: 0, count: 1, deadline: nil) {
        case .closed: return .closed
        case .failed(let reason): return .failed(reason)
        case .frame: break
        }
        let deadline = monotonicNanoseconds() + UInt64(Self.frameDeadlineMilliseconds) * 1_000_000
        if case .failed(let reason) = readExactly(fd, into: &header, from: 1, count: Frame.headerSize - 1, deadline: deadline) {
            return .failed(reason)
        }
        let length: Int
        do {
            length = try Frame.payloadLength(header: header)
        } catch {
            return .failed(error.description)
        }
        guard frameBudget.reserve(length, until: deadline) else {
            return .failed("frame of \(length) bytes: other connections hold the helper's frame memory past the deadline")
        }
        var complete = false
        defer { if !complete { frameBudget.release(length) } }
        var reader = FramePayloadReader(length: length)
        while !reader.isComplete {
            let received: Int
            do {
                received = try reader.receive { buffer in
                    switch readSome(fd, into: buffer, deadline: deadline) {
                    case .bytes(let n): return n
                    case .failed(let reason): throw ReadFailure(reason: reason)
                    }
                }
            } catch let failure as ReadFailure {
                return .failed(failure.reason)
            } catch {
                return .failed("\(error)")
            }
            guard received > 0 else { return .failed(FrameError.truncated.description) }
        }
        complete = true
        return .frame(reader.payload)
    }

    /// Why a read inside a frame failed (carried through ``FramePayloadReader/receive(using:)``).
    struct ReadFailure: Error {
        let reason: String
    }

    /// The outcome of one ``readSome(_:into:deadline:)``.
    enum ReadResult {
        /// Bytes read; 0 when the peer closed.
        case bytes(Int)
        case failed(String)
    }

    /// One `read` of at most `buffer.count` bytes, waiting for data until `deadline` (nil: for ever).
    func readSome(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, deadline: UInt64?) -> ReadResult {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .bytes(0) }
        while true {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            var timeout: Int32 = -1
            if let deadline {
                let now = monotonicNanoseconds()
                guard now < deadline else { return .failed("frame not completed within the deadline") }
                timeout = Int32(min(UInt64(Int32.max), (deadline - now) / 1_000_000 + 1))
            }
            let ready = poll(&pfd, 1, timeout)
            if ready < 0 {
                if errno == EINTR { continue }
                return .failed("poll: \(SystemError("poll"))")
            }
            if ready == 0 { continue }
            let n = read(fd, base, buffer.count)
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return .failed("read: \(SystemError("read"))")
            }
            return .bytes(n)
        }
    }

    func readExactly(_ fd: Int32, into buffer: inout [UInt8], from start: Int, count: Int, deadline: UInt64?) -> FrameRead {
        var offset = start
        while offset < start + count {
            let result = buffer.withUnsafeMutableBytes { raw in
                readSome(fd, into: UnsafeMutableRawBufferPointer(rebasing: raw[offset..<(start + count)]), deadline: deadline)
            }
            switch result {
            case .failed(let reason):
                return offset == start && deadline == nil ? .closed : .failed(reason)
            case .bytes(let n):
                if n == 0 { return offset == start && deadline == nil ? .closed : .failed(FrameError.truncated.description) }
                offset += n
            }
        }
        return .frame([])
    }
}

/// The directory part of an absolute path (`/a/b/c` → `/a/b`).
func parentDirectory(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
    return String(path[..<slash])
}
