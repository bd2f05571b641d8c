import AgentConfig
import CLinuxShim
import Glibc
import LinuxSystem

/// The agent's own executables, opened once by descriptor (the front's user need not be able to
/// reach them by path).
struct Binaries {
    let helper: Int32
    let front: Int32
    /// PROMETHEUS listeners' metrics (upstream's prometheus-proxy), started in direct mode.
    let prometheusProxy: Int32
    /// Where they are (with amphora-health-checker, which keepalived finds on its PATH).
    let directory: String

    struct Unsafe: Error, CustomStringConvertible {
        let path: String
        var description: String { "\(path) must be owned by root and writable by root only (keepalived runs programs from it as root)" }
    }

    struct Missing: Error, CustomStringConvertible {
        let path: String
        var description: String { "cannot open \(path): \(String(cString: strerror(errno)))" }
    }

    static func beside(executable: String) throws -> Binaries {
        guard let path = symbolicLinkTarget(executable) else { throw Missing(path: executable) }
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        func openBinary(_ name: String) throws -> Int32 {
            let full = directory + "/" + name
            let fd = open(full, cshim_O_PATH | O_CLOEXEC)
            guard fd >= 0 else { throw Missing(path: full) }
            return fd
        }
        let helper = try openBinary("amphora-helper"), front = try openBinary("amphora-front")
        let prometheusProxy = try openBinary("amphora-prometheus-proxy")
        // keepalived (root, no script security in LVS configurations) runs amphora-health-checker
        // by name from this directory: it must be there, and nobody but root may change either.
        let checker = directory + "/amphora-health-checker"
        for (path, isDirectory) in [(directory.isEmpty ? "/" : directory, true), (checker, false)] {
            var st = stat()
            guard lstat(path, &st) == 0 else { throw Missing(path: path) }
            let kind = st.st_mode & S_IFMT
            guard st.st_uid == 0, st.st_mode & 0o022 == 0, kind == (isDirectory ? S_IFDIR : S_IFREG) else {
                throw Unsafe(path: path)
            }
        }
        return Binaries(helper: helper, front: front, prometheusProxy: prometheusProxy, directory: directory.isEmpty ? "/" : directory)
    }
}

/// Starts the helper (root) and the front (front_user, no privileges) as the agent's children.
struct ChildLauncher {
    let binaries: Binaries
    let configPath: String
    let config: AgentConfiguration
    let front: SystemUser
    /// Where the children write instead of the supervisor's own stdout/stderr (a terminal, maybe).
    let output: ChildOutput

    enum Started {
        case success(pid_t)
        case failure(String)
    }

    /// A started helper and, in direct mode, the agent's end of its daemon channel.
    enum HelperStarted {
        case success(pid_t, daemonChannel: Int32?)
        case failure(String)
    }

    /// Starts the helper and waits (up to 60 s) for it to report READY. `whileBooting` runs after the
    /// helper is spawned and before the wait: at the agent's start the front boots meanwhile (it
    /// waits for the helper's socket itself), so that the two start-ups overlap. It returns a
    /// problem to give up at once (the helper is then killed), or nil.
    ///
    /// It must stay after the helper's ends of the READY pipe and the daemon channel are closed:
    /// whatever it starts must not inherit them (the front could otherwise report READY itself).
    func startHelper(whileBooting: () -> String? = { nil }) -> HelperStarted {
        var pipe: [Int32] = [-1, -1]
        guard cshim_pipe2_cloexec(&pipe) == 0 else { return .failure("pipe: \(String(cString: strerror(errno)))") }
        defer { close(pipe[0]) }
        var argv = ["amphora-helper", "serve", "--config-file", configPath, "--notify-fd", "3"]
        var passing = [pipe[1]]
        var channel: [Int32] = [-1, -1]
        if config.serviceManager == .direct {
            guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &channel) == 0 else {
                close(pipe[1])
                return .failure("socketpair: \(String(cString: strerror(errno)))")
            }
            argv += ["--daemon-fd", "4"]
            passing.append(channel[1])
        }
        let pid = spawn(binaries.helper, argv, passing: passing, asFront: false)
        close(pipe[1])
        if channel[1] >= 0 { close(channel[1]) }
        guard pid > 0 else {
            if channel[0] >= 0 { close(channel[0]) }
            return .failure("cannot start the helper: \(String(cString: strerror(-pid)))")
        }
        let daemonChannel: Int32? = channel[0] >= 0 ? channel[0] : nil
        if let problem = whileBooting() {
            if let daemonChannel { close(daemonChannel) }
            var status: Int32 = 0
            kill(pid, SIGKILL)
            _ = try? retryingSyscall("waitpid") { waitpid(pid, &status, 0) }
            return .failure(problem)
        }
        var pfd = pollfd(fd: pipe[0], events: Int16(POLLIN), revents: 0)
        var line: [UInt8] = []
        var closed = false
        let deadline = monotonicSeconds() + 60
        while monotonicSeconds() < deadline {
            let ready = poll(&pfd, 1, 500)
            if ready < 0 && errno != EINTR { break }
            if ready > 0 {
                var byte: UInt8 = 0
                let n = read(pipe[0], &byte, 1)
                if n == 1 {
                    line.append(byte)
                    if byte == UInt8(ascii: "\n") { break }
                    continue
                }
                if n == 0 {
                    closed = true
                    break
                }
            }
        }
        if line == Array("READY\n".utf8) { return .success(pid, daemonChannel: daemonChannel) }
        if let daemonChannel { close(daemonChannel) }
        // The helper printed its own one-line reason on stderr; reap it and report. Its end of the
        // pipe closes as it exits, a moment before the exit can be reaped: wait up to 2 s for that.
        var status: Int32 = 0
        let exitDeadline = monotonicNanoseconds() + 2_000_000_000
        while waitpid(pid, &status, WNOHANG) == 0 {
            if !closed || monotonicNanoseconds() >= exitDeadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                return .failure("the helper did not become ready")
            }
            usleep(5_000)
        }
        return .failure("the helper failed to start (\(Supervisor.describe(status)))")
    }

    /// Starts the front as `front_user`: no supplementary groups, no capabilities, no_new_privs.
    func startFront() -> Started {
        let argv = ["amphora-front", "--helper-socket", config.helperSocket]
        let pid = spawn(binaries.front, argv, passing: [], asFront: true)
        guard pid > 0 else { return .failure("cannot start the front: \(String(cString: strerror(-pid)))") }
        return .success(pid)
    }

    /// The account the metrics proxy runs as in direct mode (production: systemd's DynamicUser=).
    static let prometheusProxyUser = "nobody"

    /// Starts the metrics proxy (as upstream's prometheus-proxy unit does) inside the amphora namespace
    /// `netns`, as `user`: no supplementary groups, no capabilities, no_new_privs.
    func startPrometheusProxy(user: SystemUser, netns: String) -> Started {
        let netnsFD = open("/run/netns/\(netns)", O_RDONLY | O_CLOEXEC)
        guard netnsFD >= 0 else { return .failure("network namespace \(netns): \(String(cString: strerror(errno)))") }
        defer { close(netnsFD) }
        var spawn = SpawnAttributes(
            executable: .descriptor(binaries.prometheusProxy), arguments: ["amphora-prometheus-proxy"],
            environment: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "SWIFT_BACKTRACE=enable=no", "LC_ALL=C"])
        spawn.standardOutput = output.writeFD
        spawn.standardError = output.writeFD
        spawn.newProcessGroup = true
        spawn.dieWithParent = true
        spawn.noNewPrivileges = true
        spawn.defaultTimeSlice = true
        spawn.identity = (user.uid, user.gid)
        spawn.networkNamespace = netnsFD
        do {
            return .success(try spawn.spawn())
        } catch {
            return .failure("cannot start amphora-prometheus-proxy: \(String(cString: strerror(error.errno)))")
        }
    }

    /// Returns the pid, or minus the errno of the failed exec.
    func spawn(_ binary: Int32, _ argv: [String], passing fds: [Int32], asFront: Bool) -> pid_t {
        let environment = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "SWIFT_BACKTRACE=enable=no", "LC_ALL=C"]
        var spawn = SpawnAttributes(executable: .descriptor(binary), arguments: argv, environment: environment)
        spawn.standardOutput = output.writeFD
        spawn.standardError = output.writeFD
        spawn.passedDescriptors = fds
        spawn.newProcessGroup = true
        spawn.dieWithParent = true
        spawn.noNewPrivileges = asFront
        if asFront { spawn.identity = (front.uid, front.gid) }
        do {
            return try spawn.spawn()
        } catch {
            return -error.errno
        }
    }
}

