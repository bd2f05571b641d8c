import CLinuxShim
import Dispatch
import Glibc
import IPCProtocol
import LinuxSystem
import Synchronization

/// The helper's side of its launcher: one launcher process, spawned at start (before the helper
/// confines itself), with a few channels (socketpairs), each served by a thread of its own in the
/// launcher and running one command at a time. One process, not one per channel: each Swift process
/// costs about 4 MiB of PSS of its own (runtime data, relocations, heap), threads share it.
///
/// Lanes: channel 0 serves only queries (``LaunchLane/query``), so a status or heartbeat question
/// never waits behind a slow configuration check or a daemon start; the others serve checks and
/// actions, and queries too when they are free. A command waits for the first free channel of its
/// lane, in arrival order among the commands that channel may serve. ("Launcher" below, in
/// `busyLaunchers` and the like, means one channel: one command in flight.)
public final class LauncherPool: Sendable {
    struct Connection: Sendable {
        let fd: Int32
        let pid: Int32
    }

    /// One command waiting for a channel: woken with the channel's index.
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
    private let launcherLost: (@Sendable () -> Void)?
    private let nextID = Atomic<UInt64>(1)

    /// The launcher's process id, once (for confinement checks and clean-up).
    public var pids: [Int32] { connections.first.map { [$0.pid] } ?? [] }

    /// Commands waiting for a channel of their lane right now (diagnostics and tests).
    public var waitingCommands: Int { state.withLock { $0.waiters.count } }

    /// Channels running a command right now.
    public var busyLaunchers: Int { state.withLock { $0.busy.filter { $0 }.count } }

    /// Whether channel `index` may serve a command of `lane` (channel 0: queries only).
    static func serves(_ index: Int, _ lane: LaunchLane, count: Int) -> Bool {
        count < 2 || index > 0 || lane == .query
    }

    /// Spawns the launcher from `executable` (default: this very executable, `/proc/self/exe
    /// launcher`) with `count` channels, which it finds on descriptors 3, 4, ... `requireLandlock`
    /// makes it refuse to start without Landlock. `launcherLost` runs as soon as the launcher is
    /// gone: a watcher thread (``startWatching()``) sees its channels hang up, and a command that
    /// finds it gone (end of file, EPIPE, ECONNRESET) calls it before it fails. A confined helper cannot start another
    /// launcher, so the helper exits there and its service manager restarts both.
    public init(
        count: Int, paths: ProgramPaths, requireLandlock: Bool = false, executable: String = "/proc/self/exe",
        launcherLost: (@Sendable () -> Void)? = nil
    ) throws(SystemError) {
        precondition((1...LauncherProcess.maximumChannels).contains(count), "launcher channels: 1 to \(LauncherProcess.maximumChannels)")
        let selfExe = try retryingSyscall("open", subject: executable) { open(executable, cshim_O_PATH | O_CLOEXEC) }
        defer { close(selfExe) }
        var ours: [Int32] = []
        var theirs: [Int32] = []
        defer { for fd in theirs { close(fd) } }
        for _ in 0..<count {
            var pair: [Int32] = [-1, -1]
            let made = Result { () throws(SystemError) in
                try retryingSyscall("socketpair") { socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) }
            }
            if case .failure(let error) = made {
                for fd in ours { close(fd) }
                throw error
            }
            ours.append(pair[0])
            theirs.append(pair[1])
        }
        let argv =
            [
                "amphora-helper", "launcher", "--channels", "\(count)", "--haproxy-cmd", paths.haproxy, "--keepalived-cmd", paths.keepalived,
                "--base-path", paths.basePath, "--base-cert-dir", paths.baseCertDir, "--require-landlock", requireLandlock ? "yes" : "no",
            ]
        var spawn = SpawnAttributes(
            executable: .descriptor(selfExe), arguments: argv, environment: ["SWIFT_BACKTRACE=enable=no", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"])
        spawn.standardError = 2
        spawn.passedDescriptors = theirs
        spawn.dieWithParent = true
        spawn.noNewPrivileges = true
        let pid: pid_t
        switch Result(catching: { () throws(SystemError) in try spawn.spawn() }) {
        case .success(let started): pid = started
        case .failure(let error):
            for fd in ours { close(fd) }
            throw SystemError("spawn launcher", errno: error.errno)
        }
        self.launcherLost = launcherLost
        self.connections = ours.map { Connection(fd: $0, pid: pid) }
        self.state = LockedValue(State(busy: ours.map { _ in false }))
    }

    /// Starts the thread that calls `launcherLost` as soon as the launcher is gone. Separate from
    /// `init` so that the helper starts it only once it is confined: capabilities are per thread,
    /// and a thread started before the helper dropped its own would keep them all.
    public func startWatching() throws(SystemError) {
        guard let launcherLost else { return }
        let watched = connections.map(\.fd)
        guard startThread({ Self.watch(watched, launcherLost) }) else {
            throw SystemError("start the launcher watcher", errno: EAGAIN)
        }
    }

    /// Waits until one of the channels hangs up (the launcher is gone), then calls `lost`. Asks
    /// for no events: poll reports a hang-up or an error whatever it is asked, and reading is the
    /// commands' business.
    static func watch(_ fds: [Int32], _ lost: @Sendable () -> Void) {
        var entries = fds.map { pollfd(fd: $0, events: 0, revents: 0) }
        while true {
            let ready = poll(&entries, nfds_t(entries.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if entries.contains(where: { $0.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 }) { break }
        }
        lost()
    }

    /// Takes a free channel that serves `lane`, waiting for one if need be.
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

    /// Returns channel `index`: handed to the first waiter it serves, else marked free.
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

    /// Runs one command on the next free channel of its lane and waits for its result.
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
            if case .launcherExited = error { launcherLost?() }
            throw error
        } catch let error as SystemError where [EPIPE, ECONNRESET].contains(error.errno) {
            // The launcher's end is closed: it is gone.
            launcherLost?()
            throw .launcherExited
        } catch {
            throw .launcherUnavailable(details: "\(error)")
        }
    }
}
