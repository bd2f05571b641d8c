import AgentConfig
import Glibc
import IPCProtocol
import LinuxSystem
import ProgramLauncher

/// The direct service manager's other half: the standalone agent starts, reloads and stops the
/// haproxy instances the helper asks for, as systemd would in production. Daemons run in the amphora
/// network namespace, in their own session, with a raised descriptor limit, and never under the
/// helper's seccomp filter (they are the agent's children, not the helper's). They outlive helper
/// restarts; they stop when the agent stops.
final class DaemonTable {
    let config: AgentConfiguration
    private(set) var running: [DaemonUnit: pid_t] = [:]

    /// The agent's own programs (root-owned, checked at start): last on the daemons' PATH, so that
    /// keepalived finds `amphora-health-checker` (Octavia's SCTP health monitors name it without a path).
    let programDirectory: String

    init(config: AgentConfiguration, programDirectory: String) {
        self.config = config
        self.programDirectory = programDirectory
    }

    func handle(_ request: DaemonRequest) -> DaemonReply {
        switch request.operation {
        case .status, .enable, .disable:
            return DaemonReply(id: request.id, status: status(request.unit), error: nil)
        case .start:
            if status(request.unit).running { return DaemonReply(id: request.id, status: status(request.unit), error: nil) }
            return reply(request, start(request.unit))
        case .reload:
            guard let pid = running[request.unit], Self.isAlive(pid) else { return reply(request, start(request.unit)) }
            // haproxy in master-worker mode re-executes on SIGUSR2 and hands its listeners over;
            // keepalived re-reads its configuration on SIGHUP.
            kill(pid, request.unit == .keepalived ? SIGHUP : SIGUSR2)
            return DaemonReply(id: request.id, status: status(request.unit), error: nil)
        case .stop:
            stop(request.unit)
            return DaemonReply(id: request.id, status: status(request.unit), error: nil)
        }
    }

    func reply(_ request: DaemonRequest, _ error: String?) -> DaemonReply {
        DaemonReply(id: request.id, status: status(request.unit), error: error)
    }

    func status(_ unit: DaemonUnit) -> DaemonStatus {
        guard let pid = running[unit], Self.isAlive(pid) else { return DaemonStatus(running: false, pid: nil) }
        return DaemonStatus(running: true, pid: pid)
    }

    /// True for a live process (a zombie, killed but not yet reaped, is not running).
    static func isAlive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let fd = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = read(fd, &buffer, buffer.count)
        guard n > 0, let close = buffer[0..<n].lastIndex(of: UInt8(ascii: ")")), close + 2 < n else { return true }
        return buffer[close + 2] != UInt8(ascii: "Z")
    }

    /// How a unit is run: its argv (argv[0] the program path) and the file its output goes to.
    func launchSpec(_ unit: DaemonUnit) -> (argv: [String], log: String)? {
        switch unit {
        case .haproxy(let id):
            let layout = StateLayout(basePath: config.basePath)
            guard let amphora = try? ResourceID(validating: config.amphoraID) else { return nil }
            return ([
                config.haproxyCmd, "-Ws", "-f", layout.haproxyConfig(id), "-f", layout.userGroupFile,
                "-p", layout.haproxyPIDFile(id), "-L", HAProxyPeerName.forAmphora(amphora),
            ], layout.haproxyLog(id))
        case .keepalived:
            let layout = StateLayout(basePath: config.basePath)
            // -n: stay in the foreground as our child; its VRRP process and checker are its own children.
            // --log-facility: administrative_log_facility, as upstream's unit passes it.
            return ([
                config.keepalivedCmd, "-n", "-l", "-D", KeepalivedLogFacility.argument(config), "-f", layout.vrrpFile(StateLayout.VRRPFile.config),
                "-p", layout.vrrpFile(StateLayout.VRRPFile.pid), "-r", layout.vrrpFile(StateLayout.VRRPFile.vrrpPID),
                "-c", layout.vrrpFile(StateLayout.VRRPFile.checkersPID),
            ], layout.vrrpFile(StateLayout.VRRPFile.log))
        case .lvs(let id): return lvsLaunchSpec(id)
        }
    }

    /// Starts the unit; returns an error text (with the daemon's own output) on failure.
    func start(_ unit: DaemonUnit) -> String? {
        if case .lvs = unit, let missing = Self.ipvsMissing() { return missing }
        guard let (argv, logPath) = launchSpec(unit) else { return "invalid amphora_id" }
        if unit == .keepalived {
            // Nothing of ours runs (the table says so): pid files left by a killed keepalived are stale,
            // and keepalived would refuse to start while they name a live (or unreaped) process.
            let layout = StateLayout(basePath: config.basePath)
            for name in [StateLayout.VRRPFile.pid, StateLayout.VRRPFile.vrrpPID, StateLayout.VRRPFile.checkersPID] {
                unlink(layout.vrrpFile(name))
            }
        }
        let log = open(logPath, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard log >= 0 else { return "cannot open \(logPath): \(String(cString: strerror(errno)))" }
        defer { close(log) }
        let netns = open("/run/netns/\(config.netns)", O_RDONLY | O_CLOEXEC)
        guard netns >= 0 else { return "network namespace \(config.netns) is missing: \(String(cString: strerror(errno)))" }
        defer { close(netns) }
        var spawn = SpawnAttributes(executable: .path(argv[0]), arguments: argv, environment: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin:\(programDirectory)"])
        spawn.standardOutput = log
        spawn.standardError = log
        spawn.newSession = true
        spawn.defaultTimeSlice = true
        spawn.fileDescriptorLimit = Self.daemonDescriptorLimit()
        spawn.networkNamespace = netns
        let pid: pid_t
        do {
            pid = try spawn.spawn()
        } catch {
            return "cannot execute \(argv[0]): \(String(cString: strerror(error.errno)))"
        }
        // A configuration the check accepted can still fail to start (an address in use, say).
        for _ in 0..<10 {
            usleep(20_000)
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                let tail = (try? String(decoding: tailOfFile(logPath), as: UTF8.self)) ?? ""
                return "\(unit.daemonName) exited at start (\(Supervisor.describe(status))):\n\(tail)"
            }
        }
        running[unit] = pid
        Supervisor.log("started \(unit) (pid \(pid))")
        return nil
    }

    /// The descriptor limit a daemon gets: upstream's unit says LimitNOFILE=2600000, which the kernel
    /// caps at fs.nr_open. The agent first raises its own hard limit that far (its soft limit stays):
    /// that needs CAP_SYS_RESOURCE, which root has outside a sandbox. Without it, daemons get the hard
    /// limit the agent has, and a haproxy whose maxconn and health-checked servers need more refuses
    /// to start ("Cannot raise FD limit").
    static func daemonDescriptorLimit() -> UInt64 {
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        var limit = rlimit()
        getrlimit(resource, &limit)
        let wanted = min(2_600_000, kernelDescriptorCeiling())
        if limit.rlim_max < wanted {
            var raised = limit
            raised.rlim_max = wanted
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        return UInt64(min(limit.rlim_max, 2_600_000))
    }

    /// fs.nr_open: no process may have more descriptors (1048576 if it cannot be read).
    static func kernelDescriptorCeiling() -> rlim_t {
        let fd = open("/proc/sys/fs/nr_open", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return 1 << 20 }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = read(fd, &buffer, buffer.count)
        let digits = buffer[0..<max(n, 0)].prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        return rlim_t(String(decoding: digits, as: UTF8.self)) ?? 1 << 20
    }

    func tailOfFile(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        let size = lseek(fd, 0, SEEK_END)
        lseek(fd, max(0, size - 4096), SEEK_SET)
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = read(fd, &buffer, buffer.count)
        return n > 0 ? Array(buffer[0..<n]) : []
    }

    /// SIGTERM, up to 10 s, then SIGKILL; reaps the process itself.
    func stop(_ unit: DaemonUnit) {
        guard let pid = running.removeValue(forKey: unit) else { return }
        Supervisor.stop([pid])
        Supervisor.log("stopped \(unit) (pid \(pid))")
    }

    func stopAll() {
        let pids = Array(running.values)
        running.removeAll()
        Supervisor.stop(pids)
    }

    /// Called for every reaped child; true if it was one of ours (then it is forgotten).
    func reaped(_ pid: pid_t, status: Int32) -> Bool {
        guard let unit = running.first(where: { $0.value == pid })?.key else { return false }
        running.removeValue(forKey: unit)
        Supervisor.log("\(unit) exited (\(Supervisor.describe(status)))")
        return true
    }
}

/// The agent's end of the helper's daemon channel: reads requests, answers them in order.
final class DaemonChannel {
    let fd: Int32
    private var decoder = FrameDecoder()

    init(fd: Int32) { self.fd = fd }

    /// Reads what is available and answers every complete request; false when the channel is finished.
    func service(_ table: DaemonTable) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = read(fd, &buffer, buffer.count)
        if n < 0 { return errno == EINTR || errno == EAGAIN }
        if n == 0 { return false }
        decoder.append(buffer[0..<n])
        do {
            while let payload = try decoder.nextFrame() {
                let request = try StrictJSON.decode(DaemonRequest.self, from: payload)
                let reply = table.handle(request)
                let bytes = try Frame.encode(try StrictJSON.encode(reply))
                guard (try? writeAll(fd, bytes)) != nil else { return false }
            }
        } catch {
            Supervisor.log("daemon channel: \(error); closing it")
            return false
        }
        return true
    }
}
