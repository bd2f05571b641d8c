import Glibc
import IPCProtocol
import LinuxSystem
import NIOPosix
import Synchronization

/// The front's connection to the root helper (``HelperClient``): typed commands over the helper's Unix socket.
///
/// Calls block on NIO's thread pool, never on an event loop. Connections are pooled; one that fails
/// is closed, and while the helper cannot be reached calls fail fast with ``HelperUnavailable`` and
/// reconnection is retried with exponential backoff (100 ms doubling to 5 s).
public final class HelperSocketClient: HelperClient {
    let socketPath: String
    let threadPool: NIOThreadPool
    /// Seconds a reply may take (a haproxy check or reload can take a while).
    let replyTimeoutSeconds: Int
    let idle = Mutex<[Int32]>([])
    let nextID = Atomic<UInt64>(1)
    let backoff = Mutex<Backoff>(Backoff())

    struct Backoff {
        var notBefore: UInt64 = 0
        var delayNanoseconds: UInt64 = 0
    }

    public init(socketPath: String, threadPool: NIOThreadPool, replyTimeoutSeconds: Int = 300) {
        self.socketPath = socketPath
        self.threadPool = threadPool
        self.replyTimeoutSeconds = replyTimeoutSeconds
    }

    /// Sends `command` and returns the helper's reply, or throws ``HelperUnavailable`` or ``CommandError``.
    public func send(_ command: Command) async throws -> Reply {
        let outcome = try await threadPool.runIfActive { [self] in try self.exchange(command) }
        switch outcome {
        case .ok(let reply): return reply
        case .failed(let error): throw error
        }
    }

    func exchange(_ command: Command) throws -> Outcome {
        let fd = try checkOut()
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        do {
            let payload = try StrictJSON.encode(RequestEnvelope(id: id, command: command))
            try Self.writeAll(fd, try Frame.encode(payload))
            let reply = try StrictJSON.decode(ReplyEnvelope.self, from: try Self.readFrame(fd))
            guard reply.version == IPCVersion.current, reply.id == id else {
                throw HelperUnavailable(reason: "helper answered out of order")
            }
            idle.withLock { $0.append(fd) }
            return reply.outcome
        } catch {
            close(fd)
            if let unavailable = error as? HelperUnavailable { throw unavailable }
            throw HelperUnavailable(reason: "\(error)")
        }
    }

    func checkOut() throws -> Int32 {
        if let fd = idle.withLock({ $0.popLast() }) { return fd }
        let now = Self.now()
        let wait = backoff.withLock { $0.notBefore > now }
        if wait { throw HelperUnavailable(reason: "helper unreachable; retrying with backoff") }
        do {
            let fd = try connectSocket()
            backoff.withLock { $0 = Backoff() }
            return fd
        } catch {
            backoff.withLock { state in
                state.delayNanoseconds = min(5_000_000_000, max(100_000_000, state.delayNanoseconds * 2))
                state.notBefore = Self.now() + state.delayNanoseconds
            }
            throw error
        }
    }

    func connectSocket() throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw HelperUnavailable(reason: "socket: errno \(errno)") }
        guard let address = UnixSocketAddress(path: socketPath) else {
            close(fd)
            throw HelperUnavailable(reason: "socket path too long")
        }
        let rc = address.withSocketAddress { connect(fd, $0, $1) }
        guard rc == 0 else {
            let err = errno
            close(fd)
            throw HelperUnavailable(reason: "connect \(socketPath): \(String(cString: strerror(err)))")
        }
        var timeout = timeval(tv_sec: replyTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var sendTimeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &sendTimeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    static func now() -> UInt64 { monotonicNanoseconds() }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        do {
            try sendAll(fd, bytes)
        } catch {
            throw HelperUnavailable(reason: "send: errno \(error.errno)")
        }
    }

    static func readFrame(_ fd: Int32) throws -> [UInt8] {
        try Frame.readPayload { buffer in
            while true {
                let n = recv(fd, buffer.baseAddress!, buffer.count, 0)
                if n > 0 { return n }
                if n == 0 { throw HelperUnavailable(reason: "helper closed the connection") }
                if errno == EINTR { continue }
                throw HelperUnavailable(reason: errno == EAGAIN ? "helper did not answer in time" : "recv: errno \(errno)")
            }
        }
    }
}

/// The helper could not be reached or broke the protocol; the front answers 503.
public struct HelperUnavailable: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public var description: String { "helper unavailable: \(reason)" }
}
