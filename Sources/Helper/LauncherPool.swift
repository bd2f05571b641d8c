import CLinuxShim
import Dispatch
import Glibc
import IPCProtocol
import Synchronization

/// The helper's side of its launchers: a few launcher processes, spawned at start (before the helper
/// confines itself), each serving one command at a time over a socketpair.
///
/// Lanes: launcher 0 serves only queries (``LaunchLane/query``), so a status or heartbeat question
/// never waits behind a slow configuration check or a daemon start; the others serve checks and
/// actions, and queries too when they are free. A command waits for the first free launcher of its
/// lane, in arrival order among the commands that launcher may serve.
public final class LauncherPool: Sendable {
    struct Connection: Sendable {
        let fd: Int32
        let pid: Int32
    }

    /// One command waiting for a launcher: woken with the launcher's index.
    final class Waiter: @unchecked Sendable {
        let lane: LaunchLane
        let semaphore = DispatchSemaphore(value: 0)
        /// Set (under the pool's lock) before the semaphore is signalled.
        var assigned = -1
        init(lane: LaunchLane) { self.lane = lane }
    }

    struct State {
        var busy: [Bool]
        var waiters: [Waiter] = []
    }

    private let connections: [Connection]
    private let state: Mutex<State>
    private let nextID = Atomic<UInt64>(1)

    /// The launchers' process ids (for confinement checks and clean-up).
    public var pids: [Int32] { connections.map(\.pid) }

    /// Commands waiting for a launcher of their lane right now (diagnostics and tests).
    public var waitingCommands: Int { state.withLock { $0.waiters.count } }

    /// Launchers running a command right now.
    public var busyLaunchers: Int { state.withLock { $0.busy.filter { $0 }.count } }

    /// Whether launcher `index` may serve a command of `lane` (launcher 0: queries only).
    static func serves(_ index: Int, _ lane: LaunchLane, count: Int) -> Bool {
        count < 2 || index > 0 || lane == .query
    }

    /// Spawns `count` launchers from `executable` (default: this very executable, `/proc/self/exe
    /// launcher`). `requireLandlock` makes each launcher refuse to start without Landlock.
    public init(count: Int, paths: ProgramPaths, requireLandlock: Bool = false, executable: String = "/proc/self/exe") throws(SystemError) {
        let selfExe = try retryingSyscall("open", subject: executable) { open(executable, cshim_O_PATH | O_CLOEXEC) }
        defer { close(selfExe) }
        var connections: [Connection] = []
        for _ in 0..<count {
            var pair: [Int32] = [-1, -1]
            try retryingSyscall("socketpair") { socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) }
            let argv =
                [
                    "amphora-helper", "launcher", "--haproxy-cmd", paths.haproxy, "--keepalived-cmd", paths.keepalived,
                    "--base-path", paths.basePath, "--base-cert-dir", paths.baseCertDir,
                ] + (requireLandlock ? ["--require-landlock"] : [])
            var childErrno: Int32 = 0
            let pid: pid_t = withCStringArray(argv) { cArgv in
                withCStringArray(["SWIFT_BACKTRACE=enable=no", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"]) { cEnv in
                    [pair[1]].withUnsafeBufferPointer { pass in
                        var attr = cshim_spawn_attr()
                        attr.exec_fd = selfExe
                        attr.argv = UnsafePointer(cArgv)
                        attr.envp = UnsafePointer(cEnv)
                        attr.stdin_fd = -1
                        attr.stdout_fd = -1
                        attr.stderr_fd = 2
                        attr.pass_fds = pass.baseAddress
                        attr.pass_count = 1
                        attr.die_with_parent = 1
                        attr.no_new_privs = 1
                        return cshim_spawn(&attr, &childErrno)
                    }
                }
            }
            close(pair[1])
            guard pid > 0 else {
                close(pair[0])
                throw SystemError("spawn launcher", errno: childErrno)
            }
            connections.append(Connection(fd: pair[0], pid: pid))
        }
        self.connections = connections
        self.state = Mutex(State(busy: connections.map { _ in false }))
    }

    /// Takes a free launcher that serves `lane`, waiting for one if need be.
    private func acquire(_ lane: LaunchLane) -> Int {
        let count = connections.count
        let (taken, waiter): (Int?, Waiter?) = state.withLock { state in
            if let index = state.busy.indices.first(where: { !state.busy[$0] && Self.serves($0, lane, count: count) }) {
                state.busy[index] = true
                return (index, nil)
            }
            let waiter = Waiter(lane: lane)
            state.waiters.append(waiter)
            return (nil, waiter)
        }
        if let taken { return taken }
        guard let waiter else { return 0 }
        waiter.semaphore.wait()
        return state.withLock { _ in waiter.assigned }
    }

    /// Returns launcher `index`: handed to the first waiter it serves, else marked free.
    private func release(_ index: Int) {
        let count = connections.count
        state.withLock { state in
            if let position = state.waiters.firstIndex(where: { Self.serves(index, $0.lane, count: count) }) {
                let waiter = state.waiters.remove(at: position)
                waiter.assigned = index
                waiter.semaphore.signal()
            } else {
                state.busy[index] = false
            }
        }
    }

    /// Runs one command on the next free launcher of its lane and waits for its result.
    public func run(_ command: LaunchCommand, deadlineMilliseconds: Int) throws(CommandError) -> LaunchResult {
        let index = acquire(command.lane)
        defer { release(index) }
        let connection = connections[index]
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        do {
            let request = LaunchRequest(id: id, command: command, deadlineMilliseconds: deadlineMilliseconds)
            try writeAll(connection.fd, try Frame.encode(try StrictJSON.encode(request)))
            var decoder = FrameDecoder()
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                if let payload = try decoder.nextFrame() {
                    let result = try StrictJSON.decode(LaunchResult.self, from: payload)
                    guard result.id == id else { throw CommandError(.internalError, "launcher answered another request") }
                    return result
                }
                let n = buffer.withUnsafeMutableBytes { raw in read(connection.fd, raw.baseAddress, raw.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw SystemError("read")
                }
                if n == 0 { throw CommandError(.internalError, "launcher exited") }
                decoder.append(buffer[0..<n])
            }
        } catch let error as CommandError {
            throw error
        } catch {
            throw CommandError(.internalError, "launcher unavailable", details: "\(error)")
        }
    }
}

/// Who asked for an action, for the audit log.
public struct AuditContext: Sendable {
    public var requestID: UInt64
    public var peerUID: UInt32
    public var command: String

    public init(requestID: UInt64, peerUID: UInt32, command: String) {
        self.requestID = requestID
        self.peerUID = peerUID
        self.command = command
    }
}

/// The seam through which helper logic runs programs (a recording fake replaces it in unit tests).
public protocol CommandRunning: Sendable {
    func run(_ command: LaunchCommand, context: AuditContext, deadlineMilliseconds: Int) throws(CommandError) -> LaunchResult
}

/// Runs commands through the launchers, auditing intent before and outcome after each one.
/// If the intent record cannot be written, the command is not run.
public final class AuditedCommandRunner: CommandRunning {
    let pool: LauncherPool
    let audit: AuditLog
    let paths: ProgramPaths
    /// Shares a load balancer's certificates with the check account before its haproxy check.
    let certificateSharing: CertificateSharing?

    public init(pool: LauncherPool, audit: AuditLog, paths: ProgramPaths, certificateSharing: CertificateSharing? = nil) {
        self.pool = pool
        self.audit = audit
        self.paths = paths
        self.certificateSharing = certificateSharing
    }

    public func run(_ command: LaunchCommand, context: AuditContext, deadlineMilliseconds: Int = 30_000) throws(CommandError)
        -> LaunchResult
    {
        let intended = [command.program.rawValue] + command.arguments(paths)
        let base: [(String, JSONValue)] = [
            ("request", .number(String(context.requestID))),
            ("peer_uid", .number(String(context.peerUID))),
            ("command", .string(context.command)),
            ("operation", .string(command.name)),
        ] + (command.namespace.map { [("netns", JSONValue.string($0.description))] } ?? [])
        do {
            try audit.record("exec-intent", base + [("argv", .array(intended.map { .string($0) }))])
        } catch {
            throw CommandError(.unavailable, "Audit log unavailable; command refused")
        }
        let result: LaunchResult
        do {
            if case .haproxyCheck(let instance, _, _) = command { try certificateSharing?.share(instance) }
            result = try pool.run(command, deadlineMilliseconds: deadlineMilliseconds)
        } catch {
            try? audit.record("exec-outcome", base + [("error", .string(error.message))])
            throw error
        }
        var outcome = base
        outcome.append(("argv", .array(result.argv.map { .string($0) })))
        if let refusal = result.refusal { outcome.append(("refused", .string(refusal))) }
        if let code = result.exitCode { outcome.append(("exit_code", .number(String(code)))) }
        if let signal = result.signal { outcome.append(("signal", .number(String(signal)))) }
        outcome.append(("timed_out", .bool(result.timedOut)))
        outcome.append(("duration_us", .number(String(result.durationMicroseconds))))
        outcome.append(("stdout_sha256", .string(Digest.sha256Hex(result.stdout.utf8))))
        try? audit.record("exec-outcome", outcome)
        return result
    }
}
