import AgentConfig
import AgentLogging
import CLinuxShim
import Confinement
import Dispatch
import Glibc
import IPCProtocol
import LinuxSystem
import Logging
import ProgramLauncher
import Synchronization

/// Startup of the root helper: load and check everything, start the launchers, gather the facts that
/// are expensive to ask for, then serve the front. Errors are one line on stderr and a non-zero exit.
public enum HelperMain {
    /// Channels of the one launcher process (one command each at a time): one for queries only,
    /// two for checks and actions (see ``LauncherPool``).
    public static let launcherChannels = 3

    /// The helper's exit status when its launcher is gone (EX_SOFTWARE).
    public static let launcherLostExitCode: Int32 = 70

    /// Runs the helper in the foreground. `notifyFD`, when given, receives `READY\n` once the socket
    /// accepts connections (the standalone agent waits for it).
    public static func run(configPath: String, notifyFD: Int32?, daemonFD: Int32?) -> Int32 {
        // Before any thread or child (under systemd nothing was inherited): the launcher inherits it.
        let sliceRefused = TimeSlice.request()
        JournalLogHandler.bootstrap()
        // The level follows [DEFAULT] debug once the configuration is read (LogSettings).
        let logger = Logger(label: "amphora-helper")
        if let errno = sliceRefused {
            logger.warning("\(TimeSlice.refusal(errno))")
        }
        signal(SIGPIPE, SIG_IGN)

        let config: AgentConfiguration
        let syslog: SyslogSink?
        do {
            let (loaded, warnings) = try AgentConfiguration.load(path: configPath)
            config = loaded
            syslog = config.useSyslog
                ? SyslogSink.open(
                    configured: config.syslogSocket, candidates: AgentConfiguration.Defaults.syslogSockets,
                    facility: config.syslogFacility.code, ident: "amphora-helper")
                : nil
            LogSettings.apply(debug: config.debug, syslog: syslog)
            logger.debug("configuration read", metadata: [
                "path": "\(configPath)", "use_syslog": "\(config.useSyslog)", "syslog": "\(syslog?.path ?? "-")",
                "facility": "\(config.syslogFacility)", "agent_tls_protocol": "\(config.agentTLSProtocol.rawValue)",
            ])
            for warning in warnings { logger.warning("\(warning)") }
            if config.useSyslog, syslog == nil {
                let tried = config.syslogSocket.isEmpty ? AgentConfiguration.Defaults.syslogSockets : [config.syslogSocket]
                logger.warning("use_syslog: no syslog socket at \(tried.joined(separator: " or ")); logging to standard error only")
            }
        } catch {
            return fail("amphora-helper: \(error)")
        }
        guard let frontAccount = SystemUser.lookup(config.frontUser) else {
            return fail("amphora-helper: front_user \"\(config.frontUser)\" does not exist")
        }
        let identity: ServerIdentity
        do {
            identity = try ServerIdentity.load(certificatePath: config.agentServerCert, caPath: config.agentServerCA)
        } catch {
            return fail("amphora-helper: \(error)")
        }
        guard let amphoraID = try? ResourceID(validating: config.amphoraID) else {
            return fail("amphora-helper: amphora_id \(config.amphoraID) is not a canonical UUID")
        }

        let checkAccount: SystemUser
        do {
            checkAccount = try CheckAccount.resolve()
        } catch {
            return fail("amphora-helper: \(error.message)")
        }
        // The helper's state, the certificates and the audit log: the front's user gets EACCES on
        // each. The audit log's directory is 0700 root; the certificate and state directories are 0710
        // root:amphora-check: the check account passes through to one load balancer's certificates,
        // which the helper shares with it before that load balancer's haproxy check, and to the CA
        // file of haproxy's HTTP client (its Landlock domain names those and nothing else there).
        for directory in [config.basePath, config.baseCertDir, parentDirectory(config.auditLog)] {
            let traverse = directory == config.baseCertDir || directory == config.basePath
            do {
                if let warning = try PrivateDirectory.ensure(directory, traverseGroup: traverse ? checkAccount.gid : nil) {
                    logger.warning("\(warning)")
                }
            } catch {
                return fail("amphora-helper: \(error.description)")
            }
        }
        let audit: AuditLog
        do {
            let directory = parentDirectory(config.auditLog)
            if mkdir(directory, 0o700) != 0, errno != EEXIST { throw SystemError("mkdir", subject: directory) }
            audit = try AuditLog(path: config.auditLog, settings: auditSettings(config))
            try audit.record("helper-start", [("pid", .number(String(getpid()))), ("origin", .string("helper"))])
        } catch {
            return fail("amphora-helper: audit log \(config.auditLog): \(error)")
        }

        // What the helper does on its own at start is recorded with origin "helper".
        let startup = AuditContext.helper("startup", log: audit)
        let paths = ProgramPaths(
            haproxy: config.haproxyCmd, keepalived: config.keepalivedCmd, basePath: config.basePath, baseCertDir: config.baseCertDir)
        let base: SafeDirectory
        do {
            base = try SafeDirectory.open(config.basePath, create: true)
            // A helper killed mid-write leaves `.tmp-` files beside the file it replaced: nothing reads
            // them, and they would pile up (the crash-consistency tests kill it hundreds of times).
            // Two levels: <base>/lvs/check/udp_check.sh is the deepest file the helper replaces.
            try SafeDirectory.open(config.baseCertDir, create: true).removeStaleTemporaryFiles(levelsBelow: 2)
            base.removeStaleTemporaryFiles(levelsBelow: 2)
            try? SafeDirectory.open(parentDirectory(configPath), create: false)
                .removeStaleTemporaryFiles(of: String(configPath.split(separator: "/").last ?? ""))
            // The CA first: the user/group file names it, and haproxy refuses a named CA it cannot load.
            try AuditedDirectory(directory: base, context: startup).writeIfChanged(
                StateLayout.httpclientCAFileName, Array(identity.clientCAPEM.utf8), mode: 0o644)
            // Named only where the unprivileged check can reach it: a check refused for a CA it
            // cannot open would refuse every upload.
            var httpclientCA: String? = paths.httpclientCAFile
            if !HAProxyUserGroupFile.isPlainWord(paths.httpclientCAFile) {
                logger.warning("base_path \(config.basePath) is not one plain haproxy word: haproxy's HTTP client keeps loading the system CA store")
                httpclientCA = nil
            } else if !CheckAccount.canPassThrough(parentsOf: config.basePath, account: checkAccount) {
                logger.warning("\(CheckAccount.name) cannot pass through the directories above base_path \(config.basePath): haproxy's HTTP client keeps loading the system CA store")
                httpclientCA = nil
            }
            // Unchanged, left as it is: every stored configuration's check stamp names this file's identity.
            try AuditedDirectory(directory: base, context: startup).writeIfChanged(
                StateLayout.userGroupFileName, Array(HAProxyUserGroupFile.text(httpclientCAFile: httpclientCA).utf8), mode: 0o644)
        } catch {
            return fail("amphora-helper: base_path \(config.basePath): \(error)")
        }
        // systemd's keepalived units take --log-facility from here (administrative_log_facility).
        do {
            try AuditedDirectory(directory: base, context: startup).write(
                KeepalivedLogFacility.environmentFileName, Array(KeepalivedLogFacility.environment(config).utf8), mode: 0o644)
        } catch {
            return fail("amphora-helper: base_path \(config.basePath): \(error)")
        }
        if config.serviceManager == .systemd, cshim_landlock_abi() < 1 {
            return fail("amphora-helper: service_manager = systemd needs Landlock (configuration checks run read-only under it); this kernel has none: boot with landlock in lsm=")
        }
        let pool: LauncherPool
        do {
            // Under systemd the launchers refuse to start without Landlock (configuration checks
            // would not be kept from writing); the standalone agent (development, CI) only warns.
            // A launcher that is gone cannot be replaced once the helper is confined (no fork, no
            // exec): the helper exits, and systemd or the standalone agent restarts the pair.
            pool = try LauncherPool(
                count: launcherChannels, paths: paths, requireLandlock: config.serviceManager == .systemd,
                launcherLost: { stopForLostLauncher(logger) })
        } catch {
            return fail("amphora-helper: cannot start the launcher: \(error)")
        }
        let runner = AuditedCommandRunner(
            pool: pool, audit: audit, paths: paths,
            certificateSharing: CertificateSharing(baseCertDir: config.baseCertDir, gid: checkAccount.gid))
        let info = PackageVersionCache.info(amphoraID: amphoraID, base: base, runner: runner, context: startup, logger: logger)
        let services: any ServiceManager
        switch config.serviceManager {
        case .direct:
            guard let daemonFD else {
                return fail("amphora-helper: service_manager = direct needs the standalone agent (run amphora-agent)")
            }
            // The supervisor made the namespace and brought its loopback up before starting us.
            services = DirectServiceManager(fd: daemonFD, audit: audit)
        case .systemd:
            let mismatch = config.systemdUnitsMismatch
            if let mismatch {
                logger.warning("no haproxy or keepalived unit will start: the systemd units name other paths", metadata: ["setting": "\(mismatch)"])
            }
            services = SystemdServiceManager(runner: runner, unitsMismatch: mismatch)
        }
        guard let netnsName = try? InterfaceName(validating: config.netns) else {
            return fail("amphora-helper: netns \(config.netns) is not a valid namespace name")
        }
        let network = NetworkConfigurator(
            netns: netnsName, base: base, runner: runner, activeStandby: config.loadbalancerTopology == "ACTIVE_STANDBY",
            pciRescan: PCIRescan(audit: audit))
        let topology = TopologyManager(
            base: base, basePath: config.basePath, runner: runner, services: services, network: network, audit: audit,
            helperExecutable: executablePath(), amphoraID: amphoraID, configuredTopology: config.loadbalancerTopology)
        let (restored, skipped) = network.restore(context: AuditContext.helper("restore", log: audit))
        if !restored.isEmpty { logger.info("plugged interfaces configured again", metadata: ["interfaces": "\(restored)"]) }
        for port in skipped {
            logger.warning("plugged ports: not all configured again", metadata: ["mac": "\(port.mac)", "reason": "\(port.reason)"])
        }
        // After a haproxy start or reload in SINGLE topology: gratuitous ARP / unsolicited NA for its VIPs.
        let instances = HAProxyInstances(
            base: base, paths: paths, baseCertDir: config.baseCertDir, runner: runner, services: services,
            announcer: VIPAnnouncer(
                topology: { topology.current.topology }, announce: { addresses, context in network.announcer.announceHeld(addresses, context: context) }))

        let settings = FrontSettings(
            amphoraID: amphoraID, bindHost: config.bindHost, bindPort: config.bindPort,
            requestReadTimeout: config.agentRequestReadTimeout,
            tls: TLSIdentity(serverCertificateChainPEM: "", serverPrivateKeyPEM: "", clientCAPEM: "", serverCertificateDigest: ""),
            heartbeat: HeartbeatSettings(
                controllers: config.controllerIPPortList.map(\.description), intervalSeconds: config.heartbeatInterval,
                key: config.heartbeatKey),
            options: FrontOptions(
                debug: config.debug, syslogSocket: syslog?.path, syslogFacility: config.syslogFacility.code,
                requireTLS13: config.agentTLSProtocol.effectiveMinimum == .tlsv13))
        let traffic = TrafficWindow(netns: config.netns)
        let lvs: LVSListeners
        do {
            let policy = try LVSConfigPolicy.embedded(basePath: config.basePath, namespace: config.netns)
            lvs = LVSListeners(
                base: base, paths: paths, runner: runner, services: services, policy: policy, netns: network.netns, announcer: network.announcer)
        } catch {
            return fail("amphora-helper: \(error.description)")
        }
        let reporting = AmphoraReporting(
            info: info, instances: instances, traffic: traffic,
            topology: TopologySource { let state = topology.current; return (state.topology.rawValue, state.status.rawValue) },
            heartbeat: HeartbeatStats(instances: instances, keepalived: .pidFile(base: base), lvs: lvs, netns: config.netns),
            configuration: AgentConfigStore(path: configPath, running: config, audit: audit, logger: logger))
        let handler = CommandHandler(
            settings: settings, identity: identity, info: info, audit: audit, runner: runner, instances: instances,
            certificates: CertificateStore(certDirectory: config.baseCertDir, instances: instances, audit: audit),
            network: network, topology: topology,
            serverCertificatePath: config.agentServerCert, logger: logger, reporting: reporting,
            lvs: lvs, interfaceRules: InterfaceRulesApplier(base: base, netns: netnsName, runner: runner, network: network))
        let server = HelperServer(
            socketPath: config.helperSocket, frontUID: frontAccount.uid, frontGID: frontAccount.gid, audit: audit,
            handler: handler)
        // Launchers are running; from here on: only the policy's capabilities, no fork, no exec.
        Confinement.confineOrExit(.helper, program: "amphora-helper")
        // Threads that live as long as the helper start only now: capabilities are per thread, and
        // one started before the helper dropped its own would keep every capability of the unit.
        do {
            try pool.startWatching()
        } catch {
            return fail("amphora-helper: \(error)")
        }
        traffic.start()
        // The amphora's own links, remembered off the start's path, under the network lock: a plug
        // waits for a listing under way, and one that comes first lists the links itself.
        let listing = startThread {
            if let problem = network.rememberOwnLinksAtStart(context: AuditContext.helper(NetworkConfigurator.ownLinksTask, log: audit)) {
                logger.warning("the root namespace's links could not be listed at start", metadata: ["reason": "\(problem)"])
            }
        }
        if !listing { logger.warning("the root namespace's links are not listed at start: no thread (a plug lists them itself)") }
        // Ends a quiet epoch on time, so that its records do not stay under a live key.
        let sealInterval = UInt32(min(config.auditSealEpochSeconds, 30))
        startThread {
            while true {
                sleep(sealInterval)
                audit.sealIfDue()
            }
        }
        do {
            try server.start()
        } catch {
            return fail("amphora-helper: helper socket \(config.helperSocket): \(error)")
        }

        // libcrypto served the identity check and the start's audit records; its pages go back now,
        // and so does the start's own code (what serving runs is mapped again, laid out together).
        IdlePages.releaseAfterStart()
        logger.info(
            "helper ready",
            metadata: ["socket": "\(config.helperSocket)", "front_uid": "\(frontAccount.uid)", "launchers": "\(pool.pids)"])
        if let notifyFD {
            try? writeAll(notifyFD, Array("READY\n".utf8))
            close(notifyFD)
        }
        // Under systemd (Type=notify): ready now, then the watchdog keep-alive (WatchdogSec=) from this thread.
        SystemdNotifier.ready(status: "serving \(config.helperSocket)")
        SystemdNotifier.keepAliveForever()
    }

    /// The audit log's rotation and sealing settings, and its forwarding: every record also goes to
    /// syslog (journald's `/dev/log` under systemd) tagged `amphora-audit`, with the agent's facility.
    static func auditSettings(_ config: AgentConfiguration) -> AuditLogSettings {
        AuditLogSettings(
            maxBytes: config.auditLogMaxBytes, keepFiles: config.auditLogKeep, epochRecords: config.auditSealEpochRecords,
            epochSeconds: config.auditSealEpochSeconds,
            forward: SyslogSink.open(
                configured: config.syslogSocket, candidates: AgentConfiguration.Defaults.syslogSockets,
                facility: config.syslogFacility.code, ident: "amphora-audit"))
    }

    /// `audit-init --export FILE`: makes the sealing key before the helper's first start and writes the
    /// verification key (the seed) to the new file `exportPath` (0400), once: refused when a key or
    /// records exist. 0, or 1 with one line on stderr.
    public static func initializeAuditSeal(configPath: String, exportPath: String) -> Int32 {
        do {
            let (config, _) = try AgentConfiguration.load(path: configPath)
            let directoryPath = parentDirectory(config.auditLog)
            let directory = try SafeDirectory.open(directoryPath, create: true)
            let logName = String(config.auditLog.dropFirst(directoryPath.count + (directoryPath == "/" ? 0 : 1)))
            let store = AuditSealKeyStore(directory: directory, logName: logName)
            if directory.exists(store.name) { return fail("amphora-helper audit-init: \(directoryPath)/\(store.name) exists: the key was made already") }
            var status = stat()
            if fstatat(directory.fd, logName, &status, AT_SYMLINK_NOFOLLOW) == 0, status.st_size > 0 {
                return fail("amphora-helper audit-init: \(config.auditLog) has records already (its key was made at its first start)")
            }
            let seed = AuditSealKey.generate()
            var text = seed.serialized(comment: AuditSealKeyStore.seedComment(seed, logPath: config.auditLog))
            defer { text.withUnsafeMutableBytes { secureZero($0) } }
            let fd = try retryingSyscall("create", subject: exportPath) { open(exportPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o400) }
            defer { close(fd) }
            try writeAll(fd, text)
            try retryingSyscall("fsync", subject: exportPath) { fsync(fd) }
            try store.save(seed)
            FileDescriptorOutput.standardOutput.write("audit seal key made; verification key (fingerprint \(seed.fingerprint())) written to \(exportPath)\n")
            return 0
        } catch {
            return fail("amphora-helper audit-init: \(error)")
        }
    }

    /// Checks the TLS identity the configuration names (`check-identity`): 0, or 1 with one line on stderr.
    public static func checkIdentity(configPath: String) -> Int32 {
        do {
            let (config, _) = try AgentConfiguration.load(path: configPath)
            _ = try ServerIdentity.load(certificatePath: config.agentServerCert, caPath: config.agentServerCA)
            return 0
        } catch {
            return fail("\(error)")
        }
    }

    /// This executable's path (keepalived runs it as the VRRP health check).
    static func executablePath() -> String { symbolicLinkTarget("/proc/self/exe") ?? "/usr/bin/amphora-helper" }

    /// Package versions and hostname, asked once at start (never per request). The `dpkg-query`
    /// runs go to the launchers at once (one each), not one after the other: they were a third of
    /// the agent's start to first answer.
    static func gatherInfo(amphoraID: ResourceID, runner: any CommandRunning, context: AuditContext, logger: Logger) -> AmphoraInfo {
        let packages = DebianPackage.allCases
        let found = LockedValue<[DebianPackage: String]>([:])
        let done = DispatchSemaphore(value: 0)
        for package in packages {
            let ask: @Sendable () -> Void = {
                defer { done.signal() }
                do {
                    let result = try runner.run(.packageVersion(package), context: context, deadlineMilliseconds: 10_000)
                    let version = result.stdout.trimmingASCIIWhitespace()
                    if result.succeeded, !version.isEmpty { found.withLock { $0[package] = version } }
                } catch {
                    logger.warning("package version unavailable", metadata: ["package": "\(package.rawValue)", "error": "\(error)"])
                }
            }
            // No thread to be had: asked here instead, one after the other.
            if !startThread(ask) { ask() }
        }
        for _ in packages { done.wait() }
        let versions = found.withLock { $0 }
        return AmphoraInfo(
            hostname: hostName(), amphoraID: amphoraID, haproxyVersion: versions[.haproxy],
            keepalivedVersion: versions[.keepalived], ipvsadmVersion: versions[.ipvsadm])
    }

    /// Set by the first thread that finds the launcher gone.
    private static let launcherLossHandled = Atomic<Bool>(false)

    /// Ends the helper once its launcher is gone: the first caller logs and leaves with
    /// ``launcherLostExitCode`` (`_exit`: no atexit handlers while other threads still work);
    /// every other caller waits for that.
    static func stopForLostLauncher(_ logger: Logger) -> Never {
        if launcherLossHandled.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged {
            logger.critical("the launcher exited; the helper stops so that its service manager restarts it")
            _exit(launcherLostExitCode)
        }
        while true { pause() }
    }

    static func fail(_ line: String) -> Int32 {
        FileDescriptorOutput.standardError.write(line + "\n")
        return 1
    }
}
