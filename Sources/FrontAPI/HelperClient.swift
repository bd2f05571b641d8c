import Glibc
import IPCProtocol
import LinuxSystem
import NIOPosix
import Synchronization

/// The front's connection to the root helper (``HelperClient``): typed commands over the helper's Unix socket.
///
/// Calls block on NIO's thread pool, never on an event loop. Connections are pooled. A restarting
/// helper is ridden out: a pooled connection the helper has closed is noticed before use and
/// replaced, and while the helper cannot be reached a call waits for it (retrying the connection,
/// 5 ms doubling to 500 ms: the standalone agent starts the front while the helper boots) for up
/// to ``restartWaitSeconds`` before it fails with ``HelperUnavailable`` (counted afresh when a command is repeated after the helper went away). A command is sent again only when the helper cannot have carried it out
/// (the connection or the write failed), or when it is safe to repeat
/// (``IPCProtocol/Command/isSafeToResend``); otherwise a connection that breaks after the command was
/// sent fails the call with ``HelperInterrupted``.
public final class HelperSocketClient: HelperClient {
    let socketPath: String
    let threadPool: NIOThreadPool
    /// Seconds a reply may take (a haproxy check or reload can take a while).
    let replyTimeoutSeconds: Int
    /// Seconds a call waits for an unreachable (restarting) helper.
    let restartWaitSeconds: Int
    /// Pooled connections, each with the id of the last command sent on it.
    let idle = LockedValue<[PooledConnection]>([])
    let nextID = Atomic<UInt64>(1)

    /// A connection the helper holds open and the id of the last command it carried: the helper
    /// refuses, and closes, a connection whose ids do not increase.
    struct PooledConnection {
        let fd: Int32
        let lastID: UInt64
    }

    /// How long a call waits for a restarting helper by default: 15 s. Octavia's controller gives
    /// each call `rest_request_read_timeout` (default 60 s) for the whole answer and
    /// `rest_request_conn_timeout` (10 s) only for the TCP connection, which the front accepts at
    /// once. 15 s covers a helper restart (the supervisor's restart pause is at most 1 s; a helper
    /// is ready in about a second, a few when it replays plugged interfaces) several times over and
    /// leaves 45 s for the command itself.
    public static let defaultRestartWaitSeconds = 15

    public init(
        socketPath: String, threadPool: NIOThreadPool, replyTimeoutSeconds: Int = 300,
        restartWaitSeconds: Int = HelperSocketClient.defaultRestartWaitSeconds
    ) {
        self.socketPath = socketPath
        self.threadPool = threadPool
        self.replyTimeoutSeconds = replyTimeoutSeconds
        self.restartWaitSeconds = restartWaitSeconds
    }

    /// Sends `command` and returns the helper's reply, or throws ``HelperUnavailable``,
    /// ``HelperInterrupted`` or ``CommandError``.
    /// The controller request being served (``RequestCorrelation/current``) goes with it.
    public func send(_ command: Command) async throws -> Reply {
        let origin = await RequestCorrelation.current?.controllerRequest()
        let wait = UInt64(restartWaitSeconds) * 1_000_000_000
        var deadline = Self.now() + wait
        var pause: UInt64 = 5_000_000
        var resent = false
        while true {
            switch try await threadPool.runIfActive({ [self] in try self.attempt(command, origin: origin) }) {
            case .answered(.ok(let reply)):
                return reply
            case .answered(.failed(let error)):
                throw error
            case .notDelivered(let reason):
                guard Self.now() < deadline else { throw HelperUnavailable(reason: reason) }
                try await Task.sleep(nanoseconds: pause)
                pause = min(pause * 2, 500_000_000)
            case .lostAfterDelivery(let reason):
                // At most one repeat: a command that kills the helper is not sent to every new one.
                // The wait for the helper starts again: the helper was there until just now.
                guard command.isSafeToResend, !resent else {
                    throw HelperInterrupted(command: command.name, reason: reason)
                }
                resent = true
                deadline = Self.now() + wait
            }
        }
    }

    /// What one try at a command came to.
    enum Attempt: Sendable {
        /// The helper answered.
        case answered(Outcome)
        /// The helper never received the whole command (no connection, the write failed, or the
        /// helper closed with it unread): it cannot have carried it out.
        case notDelivered(String)
        /// The connection broke after the whole command was written: the helper may have carried it out.
        case lostAfterDelivery(String)
    }

    /// One try on one connection. Throws for what waiting cannot cure: a command too large to
    /// send (``CommandError`` `.tooLarge`), a reply timeout, a protocol violation.
    func attempt(_ command: Command, origin: ControllerRequest? = nil) throws -> Attempt {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        let frame: [UInt8]
        do {
            frame = try Frame.encode(try StrictJSON.encode(RequestEnvelope(id: id, command: command, origin: origin)))
        } catch FrameError.tooLarge(let size) {
            throw CommandError(
                .tooLarge, "Invalid request",
                details: "The request is \(size) bytes once encoded for the helper, over its limit of \(Frame.maximumPayloadSize) bytes")
        } catch {
            throw HelperUnavailable(reason: "\(error)")
        }
        let fd: Int32
        switch checkOut(before: id) {
        case .success(let connected): fd = connected
        case .failure(let unreachable): return .notDelivered(unreachable.reason)
        }
        do {
            try Self.writeAll(fd, frame)
        } catch {
            close(fd)
            return .notDelivered(error.reason)
        }
        let payload: [UInt8]
        do {
            payload = try Self.readFrame(fd)
        } catch let lost as ConnectionLost {
            close(fd)
            return lost.commandUnread ? .notDelivered(lost.reason) : .lostAfterDelivery(lost.reason)
        } catch FrameError.truncated {
            close(fd)
            return .lostAfterDelivery("helper closed the connection inside its reply")
        } catch {
            close(fd)
            if let unavailable = error as? HelperUnavailable { throw unavailable }
            throw HelperUnavailable(reason: "\(error)")
        }
        do {
            let reply = try StrictJSON.decode(ReplyEnvelope.self, from: payload)
            guard reply.version == IPCVersion.current, reply.id == id else {
                throw HelperUnavailable(reason: "helper answered out of order")
            }
            idle.withLock { $0.append(PooledConnection(fd: fd, lastID: id)) }
            return .answered(reply.outcome)
        } catch {
            close(fd)
            if let unavailable = error as? HelperUnavailable { throw unavailable }
            throw HelperUnavailable(reason: "\(error)")
        }
    }

    /// A pooled connection the helper still holds open, or a new one, for the command with `id`.
    /// Only a connection whose last command had a smaller id will do: ids are taken before the
    /// command is encoded, and a large command (a 30 MiB upload takes seconds) is overtaken by
    /// later ones, which then leave their connections in the pool. A pooled connection that is
    /// readable before a command was sent has been closed by the helper (it never speaks first):
    /// it is dropped.
    func checkOut(before id: UInt64) -> Result<Int32, HelperUnavailable> {
        while let fd = idle.withLock({ pool in
            pool.lastIndex(where: { $0.lastID < id }).map { pool.remove(at: $0).fd }
        }) {
            var pending = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&pending, 1, 0) == 0 { return .success(fd) }
            close(fd)
        }
        do {
            return .success(try connectSocket())
        } catch let error as HelperUnavailable {
            return .failure(error)
        } catch {
            return .failure(HelperUnavailable(reason: "\(error)"))
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

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(HelperUnavailable) {
        do {
            try sendAll(fd, bytes)
        } catch {
            throw HelperUnavailable(reason: "send: \(String(cString: strerror(error.errno)))")
        }
    }

    /// Reads one reply frame. The helper closing or resetting the connection is ``ConnectionLost``;
    /// a reply that does not come within ``replyTimeoutSeconds`` is ``HelperUnavailable``.
    ///
    /// Linux tells the two endings apart: a Unix stream socket closed while bytes sent to it were
    /// still unread makes its peer's `recv` fail with ECONNRESET (`unix_release_sock`), an orderly
    /// close after everything was read gives end-of-file. The front sends one frame and waits, so
    /// ECONNRESET means the helper never read the whole command (a helper killed just before it, or
    /// a connection still in its listen queue): it cannot have carried it out.
    static func readFrame(_ fd: Int32) throws -> [UInt8] {
        try Frame.readPayload { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            while true {
                let n = recv(fd, base, buffer.count, 0)
                if n > 0 { return n }
                if n == 0 { throw ConnectionLost(reason: "helper closed the connection", commandUnread: false) }
                if errno == EINTR { continue }
                if errno == ECONNRESET {
                    throw ConnectionLost(reason: "helper closed the connection without reading the command", commandUnread: true)
                }
                throw HelperUnavailable(reason: errno == EAGAIN ? "helper did not answer in time" : "recv: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// The helper went away while a reply was awaited.
    struct ConnectionLost: Error {
        let reason: String
        /// The helper closed with part of the command unread (ECONNRESET): it did not carry it out.
        let commandUnread: Bool
    }
}

/// The helper could not be reached or broke the protocol; the front answers 503.
public struct HelperUnavailable: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public var description: String { "helper unavailable: \(reason)" }
}

/// The helper went away after a command that is not safe to repeat had been sent: it may or may
/// not have been carried out, and the front does not send it again. The front answers 503.
public struct HelperInterrupted: Error, Sendable, CustomStringConvertible {
    /// The command's name (``IPCProtocol/Command/name``; never its payload).
    public let command: String
    public let reason: String
    public var description: String { "helper interrupted during \(command): \(reason)" }
}
