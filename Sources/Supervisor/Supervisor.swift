import AgentConfig
import CLinuxShim
import Glibc
import LinuxSystem

/// The standalone agent (`amphora-agent --config-file FILE`): checks the configuration, starts the
/// root helper and the unprivileged front, restarts either if it dies, and stops both on SIGTERM.
///
/// It is single-threaded and waits for signals with `sigwait`, so no signal handler ever runs.
public enum Supervisor {
    /// Seconds the children get to stop after SIGTERM before they are killed.
    public static let stopGraceSeconds = 10
    /// Restarts allowed per child within ``restartWindowSeconds`` before the agent gives up: the
    /// number the production units allow (`StartLimitBurst=20` in 60 s), though systemd, restarting
    /// the helper every 5 s, never reaches it; restarts here are 0.2-1 s apart (``allowRestart``), so
    /// a child that keeps crashing ends the standalone agent after about 20 s.
    public static let restartLimit = 20
    public static let restartWindowSeconds = 60

    /// A child process the supervisor keeps running.
    struct Child {
        let name: String
        var pid: pid_t
        var restarts: [UInt64] = []
    }

    public static func run(configPath: String) -> Int32 {
        guard geteuid() == 0 else { return fail("amphora-agent: must run as root (it starts the root helper)") }
        // Before any thread or child: the helper, the front and the launcher inherit it.
        if let errno = TimeSlice.request() {
            log("warning: \(TimeSlice.refusal(errno))")
        }
        let config: AgentConfiguration
        do {
            let (loaded, warnings) = try AgentConfiguration.load(path: configPath)
            config = loaded
            for warning in warnings { log("warning: \(warning)") }
        } catch {
            return fail("amphora-agent: \(error)")
        }
        guard let frontAccount = SystemUser.lookup(config.frontUser) else {
            return fail("amphora-agent: front_user \"\(config.frontUser)\" does not exist (create it: useradd --system \(config.frontUser))")
        }
        guard frontAccount.uid != 0 else { return fail("amphora-agent: front_user \"\(config.frontUser)\" must not be root") }
        let binaries: Binaries
        do {
            binaries = try Binaries.beside(executable: "/proc/self/exe")
        } catch {
            return fail("amphora-agent: \(error)")
        }
        // The helper checks the agent's TLS identity (the certificate code is the helper's, not ours),
        // while the namespace is set up; nothing else starts before its answer.
        let identityCheck: ServerIdentityCheck.Running
        switch ServerIdentityCheck.start(helper: binaries.helper, configPath: configPath) {
        case .success(let running): identityCheck = running
        case .failure(let problem): return fail("amphora-agent: \(problem.line)")
        }

        // Like systemd, reap whatever our daemons leave behind (keepalived's and haproxy's children whose
        // parent died), so that no zombie outlives its daemon or keeps a stale pid alive.
        _ = cshim_set_child_subreaper()
        var signals = sigset_t()
        sigemptyset(&signals)
        for s in [SIGTERM, SIGINT, SIGHUP, SIGCHLD] { sigaddset(&signals, s) }
        sigprocmask(SIG_BLOCK, &signals, nil)
        let signalFD = cshim_signalfd(&signals)
        guard signalFD >= 0 else { return fail("amphora-agent: signalfd: \(String(cString: strerror(errno)))") }

        let namespaceProblem = config.serviceManager == .direct ? ensureNamespace(config.netns) : nil
        if let problem = identityCheck.problem() {
            return fail("amphora-agent: \(problem)")
        }
        if let namespaceProblem {
            return fail("amphora-agent: network namespace \(config.netns): \(namespaceProblem)")
        }
        let output: ChildOutput
        switch ChildOutput.start() {
        case .success(let started): output = started
        case .failure(let error): return fail("amphora-agent: \(error)")
        }
        let launcher = ChildLauncher(binaries: binaries, configPath: configPath, config: config, front: frontAccount, output: output)
        let daemons = DaemonTable(config: config, programDirectory: binaries.directory)
        var channel: DaemonChannel?
        var helper: Child
        // The front starts while the helper boots (its own start takes about as long); it asks the
        // helper for its settings once the helper's socket is there.
        var frontStart = ChildLauncher.Started.failure("the front was not started")
        let startFront: () -> String? = {
            frontStart = launcher.startFront()
            if case .failure(let message) = frontStart { return message }
            return nil
        }
        switch launcher.startHelper(whileBooting: startFront) {
        case .success(let pid, let fd):
            helper = Child(name: "helper", pid: pid)
            channel = fd.map(DaemonChannel.init)
        case .failure(let message):
            if case .success(let pid) = frontStart { stop([pid]) }
            return fail("amphora-agent: \(message)")
        }
        var front: Child
        switch frontStart {
        case .success(let pid): front = Child(name: "front", pid: pid)
        case .failure(let message):
            stop([helper.pid])
            return fail("amphora-agent: \(message)")
        }
        log("agent running: helper pid \(helper.pid), front pid \(front.pid) as \(config.frontUser), https://\(config.bindHost):\(config.bindPort)")

        // Direct mode plays the part of upstream's prometheus-proxy unit too (PROMETHEUS listeners'
        // backend, 127.0.0.1:9102 in the namespace). Not essential to the agent: if it cannot run, the
        // agent logs why and carries on (those listeners answer 503, as haproxy does without a server).
        var proxy: Child?
        let proxyUser = SystemUser.lookup(ChildLauncher.prometheusProxyUser)
        func startProxy() -> pid_t? {
            guard let proxyUser else {
                log("no account \(ChildLauncher.prometheusProxyUser): amphora-prometheus-proxy not started")
                return nil
            }
            switch launcher.startPrometheusProxy(user: proxyUser, netns: config.netns) {
            case .success(let pid): return pid
            case .failure(let message):
                log(message)
                return nil
            }
        }
        if config.serviceManager == .direct, let pid = startProxy() {
            proxy = Child(name: "prometheus-proxy", pid: pid)
            log("amphora-prometheus-proxy running: pid \(pid) as \(ChildLauncher.prometheusProxyUser) in \(config.netns)")
        }

        func shutdown() {
            stop([front.pid, helper.pid] + (proxy.map { [$0.pid] } ?? []))
            daemons.stopAll()
        }

        // Started: the start's code is not needed again; what supervising runs is mapped again,
        // laid out together (linker/). So is the code an event ran, once a quiet spell passed without another.
        ResidentPages.unmapCode()
        var ranSinceUnmapping = false
        while true {
            var pollfds = [pollfd(fd: signalFD, events: Int16(POLLIN), revents: 0)]
            if let channel { pollfds.append(pollfd(fd: channel.fd, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&pollfds, nfds_t(pollfds.count), ranSinceUnmapping ? ResidentPages.quietMilliseconds : -1)
            if ready == 0 {
                ResidentPages.unmapCode()
                ranSinceUnmapping = false
                continue
            }
            if ready < 0 { continue }
            ranSinceUnmapping = true
            if pollfds.count > 1, pollfds[1].revents != 0, let current = channel, !current.service(daemons) {
                close(current.fd)
                channel = nil
            }
            guard pollfds[0].revents != 0 else { continue }
            let received = cshim_read_signalfd(signalFD)
            switch received {
            case -1: continue
            case SIGCHLD:
                while true {
                    var status: Int32 = 0
                    let pid = waitpid(-1, &status, WNOHANG)
                    if pid <= 0 { break }
                    if daemons.reaped(pid, status: status) { continue }
                    let how = describe(status)
                    if pid == helper.pid {
                        log("helper exited (\(how)); restarting")
                        if let current = channel {
                            close(current.fd)
                            channel = nil
                        }
                        guard allowRestart(&helper) else {
                            shutdown()
                            return fail("amphora-agent: helper keeps failing; giving up")
                        }
                        switch launcher.startHelper() {
                        case .success(let pid, let fd):
                            helper.pid = pid
                            channel = fd.map(DaemonChannel.init)
                        case .failure(let message):
                            shutdown()
                            return fail("amphora-agent: \(message)")
                        }
                    } else if var current = proxy, pid == current.pid {
                        log("amphora-prometheus-proxy exited (\(how)); restarting")
                        proxy = nil
                        guard allowRestart(&current) else {
                            log("amphora-prometheus-proxy keeps failing; leaving it stopped")
                            continue
                        }
                        if let pid = startProxy() {
                            current.pid = pid
                            proxy = current
                        }
                    } else if pid == front.pid {
                        log("front exited (\(how)); restarting")
                        guard allowRestart(&front) else {
                            shutdown()
                            return fail("amphora-agent: front keeps failing; giving up")
                        }
                        switch launcher.startFront() {
                        case .success(let pid): front.pid = pid
                        case .failure(let message):
                            shutdown()
                            return fail("amphora-agent: \(message)")
                        }
                    }
                }
            default:
                log("stopping (signal \(received))")
                shutdown()
                log("stopped")
                return 0
            }
        }
    }

    /// Direct mode plays the part of the amphora-netns unit: the amphora namespace exists before the
    /// helper starts (the confined launcher cannot create one: that needs mount(2)), its loopback is
    /// up, and the unit's sysctls are set inside it (upstream's amphora-netns: forwarding for IPVS's
    /// NAT, IPVS connection tracking and expiry; those a kernel without IP_VS lacks are skipped).
    /// Returns a problem, or nil.
    static func ensureNamespace(_ name: String) -> String? {
        var st = stat()
        if stat("/run/netns/\(name)", &st) != 0 {
            switch runQuietly(["/usr/sbin/ip", "netns", "add", name]) {
            case .failure(let problem): return "ip netns add failed (\(problem))"
            case .success: log("created network namespace \(name)")
            }
        }
        if case .failure(let problem) = runQuietly(["/usr/sbin/ip", "-n", name, "link", "set", "dev", "lo", "up"]) {
            return "ip link set dev lo up failed (\(problem))"
        }
        var sysctls = [["net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1"]]
        if stat("/proc/sys/net/ipv4/vs", &st) == 0 {
            sysctls.append(["net.ipv4.vs.conntrack=1", "net.ipv4.vs.expire_nodest_conn=1", "net.ipv4.vs.expire_quiescent_template=1"])
        }
        for settings in sysctls {
            if case .failure(let problem) = runQuietly(["/usr/sbin/ip", "netns", "exec", name, "/usr/sbin/sysctl", "-q", "-w"] + settings) {
                log("network namespace \(name): sysctl \(settings.joined(separator: " ")): \(problem)")
            }
        }
        return nil
    }

    /// A problem running a program: its description.
    struct RunProblem: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs a program (absolute path first) with its output on stderr, and waits for it.
    static func runQuietly(_ arguments: [String]) -> Result<Void, RunProblem> {
        guard let executable = arguments.first else { return .failure(RunProblem(description: "no program")) }
        var spawn = SpawnAttributes(executable: .path(executable), arguments: arguments, environment: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"])
        spawn.standardOutput = 2
        spawn.standardError = 2
        let pid: pid_t
        do {
            pid = try spawn.spawn()
        } catch {
            return .failure(RunProblem(description: "cannot run \(executable): \(String(cString: strerror(error.errno)))"))
        }
        var status: Int32 = 0
        _ = try? retryingSyscall("waitpid") { waitpid(pid, &status, 0) }
        return status == 0 ? .success(()) : .failure(RunProblem(description: describe(status)))
    }

    static func allowRestart(_ child: inout Child) -> Bool {
        let now = monotonicSeconds()
        child.restarts = child.restarts.filter { now - $0 < UInt64(restartWindowSeconds) }
        child.restarts.append(now)
        if child.restarts.count > 1 { usleep(useconds_t(min(child.restarts.count, 5)) * 200_000) }
        return child.restarts.count <= restartLimit
    }

    /// Sends SIGTERM to each pid (in order), waits for all, and kills what is left after the grace period.
    static func stop(_ pids: [pid_t]) {
        var remaining = Set(pids.filter { $0 > 0 })
        for pid in pids where pid > 0 { kill(pid, SIGTERM) }
        let deadline = monotonicSeconds() + UInt64(stopGraceSeconds)
        while !remaining.isEmpty {
            for pid in remaining {
                var status: Int32 = 0
                let r = waitpid(pid, &status, WNOHANG)
                if r == pid || (r < 0 && errno == ECHILD) { remaining.remove(pid) }
            }
            if remaining.isEmpty { break }
            if monotonicSeconds() >= deadline {
                for pid in remaining {
                    log("pid \(pid) did not stop in \(stopGraceSeconds) s; killing it")
                    kill(pid, SIGKILL)
                    var status: Int32 = 0
                    waitpid(pid, &status, 0)
                }
                break
            }
            usleep(20_000)
        }
    }

    static func describe(_ status: Int32) -> String {
        (status & 0x7F) == 0 ? "exit status \((status >> 8) & 0xFF)" : "signal \(status & 0x7F)"
    }

    static func log(_ line: String) { FileDescriptorOutput.standardError.write("amphora-agent: \(line)\n") }

    static func fail(_ line: String) -> Int32 {
        FileDescriptorOutput.standardError.write(line + "\n")
        return 1
    }
}
