import CLinuxShim
import Dispatch
import Glibc
import IPCProtocol
import LinuxSystem
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
    private let state: LockedValue<State>
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
            var spawn = SpawnAttributes(
                executable: .descriptor(selfExe), arguments: argv, environment: ["SWIFT_BACKTRACE=enable=no", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"])
            spawn.standardError = 2
            spawn.passedDescriptors = [pair[1]]
            spawn.dieWithParent = true
            spawn.noNewPrivileges = true
            let spawned = Result { () throws(SystemError) in try spawn.spawn() }
            close(pair[1])
            let pid: pid_t
            switch spawned {
            case .success(let started): pid = started
            case .failure(let error):
                close(pair[0])
                throw SystemError("spawn launcher", errno: error.errno)
            }
            connections.append(Connection(fd: pair[0], pid: pid))
        }
        self.connections = connections
        self.state = LockedValue(State(busy: connections.map { _ in false }))
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
    public func launch(_ command: LaunchCommand, deadlineMilliseconds: Int) throws(LaunchError) -> LaunchResult {
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
                    guard result.id == id else { throw LaunchError.answeredAnotherRequest }
                    return result
                }
                let n = try readSome(connection.fd, into: &buffer)
                if n == 0 { throw LaunchError.launcherExited }
                decoder.append(buffer[0..<n])
            }
        } catch let error as LaunchError {
            throw error
        } catch {
            throw .launcherUnavailable(details: "\(error)")
        }
    }
}
