import AgentConfig
import Confinement
import Glibc
import IPCProtocol
import LinuxSystem
import ProgramLauncher

/// haproxy instances: one directory per instance under `base_path` holding `haproxy.cfg` (0600),
/// its candidate and failed files, pid file, server state and log; the stats socket at
/// `<base_path>/<id>.sock` (forced by ``HAProxyConfigPolicy``).
public final class HAProxyInstances: Sendable {
    let base: SafeDirectory
    let paths: ProgramPaths
    let baseCertDir: String
    let runner: any CommandRunning
    let services: any ServiceManager
    /// How a reload that lost upstream's LP#2054666 race is retried (``ReloadRetry``).
    let reloadRetry: ReloadRetry
    /// Gratuitous ARP / unsolicited NA for the VIPs after a start or reload in SINGLE topology (nil: never).
    let announcer: VIPAnnouncer?
    let locks = InstanceLocks()
    /// The programs a configuration may run (`policy/haproxy-programs.txt` for this base path), parsed once.
    let programs: Set<String>
    /// The part of ``checkedStamp(_:_:)``'s fingerprint every instance shares: this executable's build
    /// ID, the policy text, the paths and the programs, hashed once (nil without a build ID).
    let checkerDigest: String?

    /// How long a started haproxy gets to answer on its stats socket (the wait ends as soon as it
    /// answers or exits). Octavia's 50 listeners x 200 members take haproxy ~2 s to parse and bind on
    /// an idle 2-CPU machine, several times that on a busy one; upstream's unit (Type=notify) waits
    /// systemd's 90 s. 30 s stays within the controller's 60 s read timeout.
    static let startTimeoutMilliseconds = 30_000

    public init(
        base: SafeDirectory, paths: ProgramPaths, baseCertDir: String, runner: any CommandRunning, services: any ServiceManager,
        reloadRetry: ReloadRetry = ReloadRetry(), announcer: VIPAnnouncer? = nil
    ) {
        self.base = base
        self.paths = paths
        self.baseCertDir = baseCertDir
        self.runner = runner
        self.services = services
        self.reloadRetry = reloadRetry
        self.announcer = announcer
        let programs = ProgramAllowList.embedded("haproxy-programs.txt", basePath: paths.basePath).paths
        self.programs = programs
        self.checkerDigest = ExecutableBuildID.hex.map { build in
            let checker = [build, EmbeddedPolicy.files["haproxy-config.txt"] ?? "", paths.basePath, baseCertDir] + programs.sorted()
            return Digest.sha256Hex(checker.joined(separator: "\u{0}").utf8)
        }
    }

    /// The instance's directory; nil when there is none yet (an upload makes it, audited).
    func directory(_ id: ResourceID) throws(HAProxyError) -> SafeDirectory? {
        do {
            return try base.subdirectory(StateLayout.instanceDirectoryName(id), create: false)
        } catch {
            throw .storage(error)
        }
    }

    /// Where the instance's files are (``StateLayout``).
    var layout: StateLayout { StateLayout(basePath: paths.basePath) }

    /// The stats socket of an instance: always the agent's own path (the one ``HAProxyConfigPolicy``
    /// forces), never a path read from a stored configuration.
    func statsSocket(_ id: ResourceID) -> String { layout.statsSocket(id) }

    /// The instance's own directories: the only files haproxy's messages may name when passed on.
    func ownDirectories(_ id: ResourceID) -> [String] { [layout.instanceDirectory(id), "\(baseCertDir)/\(id)"] }

    /// Where the instance's files may live, for ``HAProxyConfigPolicy``.
    func policyContext(_ id: ResourceID) -> HAProxyConfigPolicy.Context {
        HAProxyConfigPolicy.Context(
            instance: id.description, basePath: paths.basePath, baseCertDir: baseCertDir, programs: programs)
    }

    /// What `haproxy.cfg.checked` holds once `text` passed `haproxy -c` and the allow-list: the
    /// text's SHA-256 and a fingerprint of what checked it: this executable (its build ID, so any
    /// change to the tokenizer or the policy code), the policy text, the paths, the programs
    /// (``checkerDigest``), the instance, and what the check read besides the text
    /// (``checkInputs(_:)``). Another text, build, configuration or instance, or a changed
    /// certificate, does not match, and is checked again; so is everything when the executable has
    /// no build ID or an input cannot be looked at (nil).
    func checkedStamp(_ text: String, _ id: ResourceID) -> String? {
        guard let checkerDigest, let inputs = checkInputs(id) else { return nil }
        return Digest.sha256Hex(text.utf8) + " " + Digest.sha256Hex("\(checkerDigest)\u{0}\(id)\u{0}\(inputs)".utf8)
    }

    /// What `haproxy -c` reads besides the configuration, as it stands now: the load balancer's
    /// certificate directory (every certificate stored or deleted renames or unlinks in it, which
    /// changes its times, as the tmpfs a reboot brings does), the user/group file, the HTTP client's
    /// CA, and haproxy itself (an upgrade may read the same text otherwise); and the certificates'
    /// names and inodes. Identities and change times, not contents: a few `stat`s and one directory
    /// read a reload. nil when one cannot be looked at.
    func checkInputs(_ id: ResourceID) -> String? {
        var parts: [String] = []
        let inputs = [("\(baseCertDir)/\(id)", false), (layout.userGroupFile, false), (layout.httpclientCAFile, false), (paths.haproxy, true)]
        for (path, followed) in inputs {
            var st = stat()
            if (followed ? stat(path, &st) : lstat(path, &st)) == 0 {
                parts.append(
                    "\(st.st_dev):\(st.st_ino):\(st.st_mode):\(st.st_size):\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec):\(st.st_ctim.tv_sec).\(st.st_ctim.tv_nsec)")
            } else if errno == ENOENT {
                parts.append("none")
            } else {
                return nil
            }
        }
        // Each certificate's name and inode too: a store renames a new file over the old name,
        // which a coarse clock could leave the directory's times unchanged by.
        guard let entries = Self.entryInodes("\(baseCertDir)/\(id)") else { return nil }
        parts.append(entries)
        return parts.joined(separator: " ")
    }

    /// `name=inode` of every entry of the directory at `path`, sorted; "" when there is none; nil
    /// when it cannot be read. Symlinks are not followed (the directory itself included).
    static func entryInodes(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return errno == ENOENT ? "" : nil }
        guard let directory = fdopendir(fd) else {
            close(fd)
            return nil
        }
        defer { closedir(directory) }
        var entries: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { entries.append("\(name)=\(entry.pointee.d_ino)") }
        }
        return entries.sorted().joined(separator: ",")
    }

    /// Whether the instance has a stored configuration: anything by that name (symlinks not
    /// followed), without reading it; reading it (``storedConfig(_:)``) refuses what is not a file.
    /// Anything but "no such entry" throws, as that read would.
    func hasStoredConfig(_ id: ResourceID) throws(HAProxyError) -> Bool {
        guard let dir = try directory(id) else { return false }
        do {
            return try dir.contains(StateLayout.HAProxyFile.config)
        } catch {
            throw .storage(error)
        }
    }

    func storedConfig(_ id: ResourceID) throws(HAProxyError) -> String? {
        guard let dir = try directory(id) else { return nil }
        do {
            return try dir.read(StateLayout.HAProxyFile.config).map { String(decoding: $0, as: UTF8.self) }
        } catch {
            throw .storage(error)
        }
    }

    // MARK: - Commands

    /// Checks and stores a configuration; a failed check keeps `haproxy.cfg.new-failed` and the active file.
    public func upload(_ upload: HAProxyConfigUpload, context: AuditContext) throws(HAProxyError) -> String {
        guard !upload.config.utf8.contains(0) else { throw .refused(details: "NUL byte in configuration") }
        let text = try HAProxyConfigText.checkPolicy(upload.config, context: policyContext(upload.instance))
        return try locks.withLock(upload.instance) { () throws(HAProxyError) -> String in
            let dir: SafeDirectory
            do throws(FileChangeError) {
                dir = try AuditedDirectory(directory: base, context: context).subdirectory(StateLayout.instanceDirectoryName(upload.instance))
            } catch {
                throw error.wrapped(refused: HAProxyError.launcher, failed: HAProxyError.storage)
            }
            let files = AuditedDirectory(directory: dir, context: context)
            let config = CandidateFile(directory: dir, name: StateLayout.HAProxyFile.config, context: context)
            let checkCommand = LaunchCommand.haproxyCheck(instance: upload.instance, amphora: upload.amphoraID, candidate: true)
            // The check's and the promotion's intents are recorded with the candidate's: one fsync
            // makes all three durable before the write, and the check's outcome needs none of its own.
            let checkIntent = runner.intent(for: checkCommand, context: context)
            let promotion = config.promotionIntent()
            do throws(FileChangeError) {
                try config.write(Array(text.utf8), announcing: (checkIntent.map { [$0] } ?? []) + [promotion])
            } catch {
                let reason = if case .refused = error { "the candidate's intent could not be recorded" } else { "the candidate could not be written" }
                checkIntent?.withdraw(reason: reason, context: context)
                promotion.withdraw(reason: reason, context: context)
                throw error.wrapped(refused: HAProxyError.launcher, failed: HAProxyError.storage)
            }
            let check: LaunchResult
            do throws(HAProxyError) {
                check =
                    if let checkIntent {
                        try runner.run(announced: checkIntent, context: context, deadlineMilliseconds: 60_000, or: HAProxyError.launcher)
                    } else {
                        try runner.run(checkCommand, context: context, deadlineMilliseconds: 60_000, or: HAProxyError.launcher)
                    }
            } catch {
                promotion.withdraw(reason: "the check did not complete", context: context)
                throw error
            }
            guard check.succeeded else {
                promotion.withdraw(reason: "the check refused the candidate", context: context)
                config.keepFailed()
                throw .refused(details: HAProxyConfigCheckOutput.summary(check, directories: ownDirectories(upload.instance)))
            }
            do throws(FileChangeError) {
                try config.promote(announced: promotion)
                // What haproxy -c and this policy just accepted: a start or reload of exactly this file checks nothing again.
                // Unchanged files (the same amphora, a configuration uploaded again) are left as they are.
                if let stamp = checkedStamp(text, upload.instance) {
                    try files.writeIfChanged(StateLayout.HAProxyFile.checkedDigest, Array(stamp.utf8))
                }
                try files.writeIfChanged(StateLayout.HAProxyFile.amphoraID, Array(upload.amphoraID.description.utf8))
                // systemd/haproxy@.service reads haproxy's peer name (-L) from here.
                try files.writeIfChanged(
                    StateLayout.HAProxyFile.environment, Array("PEER_NAME=\(HAProxyConfigText.peerName(forAmphora: upload.amphoraID))\n".utf8))
            } catch {
                throw error.wrapped(refused: HAProxyError.launcher, failed: HAProxyError.storage)
            }
            let warnings = HAProxyConfigCheckOutput.errorLines(check.combinedOutput, directories: ownDirectories(upload.instance))
            return warnings.isEmpty ? "Configuration file is valid" : "Configuration file is valid\n" + warnings
        }
    }

    /// The stored configuration.
    public func config(_ id: ResourceID) throws(HAProxyError) -> StoredFile {
        guard let text = try storedConfig(id) else { throw .notFound(id) }
        return StoredFile(text: text, md5: Digest.md5Hex(text.utf8))
    }

    /// start, stop or reload (reload starts a stopped instance; server state is saved first).
    public func perform(_ action: ServiceAction, on id: ResourceID, context: AuditContext) throws(HAProxyError) -> String {
        try locks.withLock(id) { () throws(HAProxyError) -> String in
            guard let text = try storedConfig(id), let dir = try directory(id) else { throw .notFound(id) }
            let amphora = (try? dir.read(StateLayout.HAProxyFile.amphoraID)).flatMap { $0 }.flatMap { try? ResourceID(validating: String(decoding: $0, as: UTF8.self)) }
            let socket = statsSocket(id)
            switch action {
            case .stop:
                try stopHAProxy(id, context: context)
                return "Listener \(id) stopped"
            case .start, .reload:
                let checked = (try? dir.read(StateLayout.HAProxyFile.checkedDigest)).flatMap { $0 }.map { String(decoding: $0, as: UTF8.self) }
                let unchecked = checked == nil || checked != checkedStamp(text, id)
                // A stored file from before this policy (an older agent, other paths) must not start
                // with what it now refuses, nor without what the agent forces (the policy drops a
                // stored `user`, `group` or `stats socket` and puts the agent's own in: the text it
                // would store must be the stored text), nor unchecked by `haproxy -c`.
                if unchecked {
                    guard try HAProxyConfigText.checkPolicy(text, context: policyContext(id)) == text else {
                        throw .checkFailed(action, details: "the stored configuration is not as the agent stores one (upload it again)")
                    }
                    guard let amphora else {
                        throw .checkFailed(action, details: "no amphora id is stored with the configuration (upload it again)")
                    }
                    let check = try runner.run(
                        .haproxyCheck(instance: id, amphora: amphora, candidate: false), context: context, deadlineMilliseconds: 60_000,
                        or: HAProxyError.launcher)
                    guard check.succeeded else {
                        throw .checkFailed(action, details: HAProxyConfigCheckOutput.summary(check, directories: ownDirectories(id)))
                    }
                    // Checked as an upload checks: the next start or reload need not check it again.
                    // A stamp that cannot be written only means that it will be (the failure is audited).
                    if let stamp = checkedStamp(text, id) {
                        _ = try? AuditedDirectory(directory: dir, context: context).writeIfChanged(
                            StateLayout.HAProxyFile.checkedDigest, Array(stamp.utf8))
                    }
                }
                // A haproxy that answers with its server state on the instance's own stats socket
                // runs: the state is saved and it is reloaded without asking the service manager
                // (upstream asks the pid file, not systemd). One that does not answer is asked about.
                if action == .reload, let state = HAProxyStatsSocket.serversState(socket) {
                    try reloadSavingState(id, state, in: dir, context: context)
                    announceVIPs(of: text, context: context)
                    return "Listener \(id) reloaded"
                }
                let status = try services.perform(.status, .haproxy(id), context: context, or: HAProxyError.service)
                if action == .reload, status.running {
                    // Running but not answering: reloaded without its server state.
                    try reloadRetryingRace(id, context: context)
                    announceVIPs(of: text, context: context)
                    return "Listener \(id) reloaded"
                }
                if action == .start, status.running {
                    announceVIPs(of: text, context: context)
                    return "Configuration file is valid\nhaproxy daemon for \(id) already running"
                }
                _ = try services.perform(.start, .haproxy(id), context: context, or: HAProxyError.service)
                try waitForStatsSocket(socket, id: id, context: context)
                announceVIPs(of: text, context: context)
                return "Configuration file is valid\nhaproxy daemon for \(id) started"
            }
        }
    }

    /// Saves `state` (haproxy's `show servers state`) for the reload to load, then reloads. The
    /// reload's intent goes ahead of the server state's: one fsync makes both durable.
    func reloadSavingState(_ id: ResourceID, _ state: String, in dir: SafeDirectory, context: AuditContext) throws(HAProxyError) {
        var reloadIntent = services.intent(for: .reload, .haproxy(id), context: context)
        do throws(FileChangeError) {
            try AuditedDirectory(directory: dir, context: context).write(
                StateLayout.HAProxyFile.serversState, Array(state.utf8), announcing: reloadIntent.map { [$0] } ?? [])
        } catch {
            // Best effort, as ever; but a refused intent leaves the reload to record its own.
            if case .refused = error, let refused = reloadIntent {
                refused.withdraw(reason: "the server state's intent was refused", context: context)
                reloadIntent = nil
            }
        }
        try reloadRetryingRace(id, context: context, announced: reloadIntent)
    }

    /// Stops the instance; a failure is the seed spec's (and upstream's) "Error stopping haproxy" (500).
    func stopHAProxy(_ id: ResourceID, context: AuditContext) throws(HAProxyError) {
        _ = try services.perform(.stop, .haproxy(id), context: context, or: HAProxyError.stopFailed)
    }

    func waitForStatsSocket(_ socket: String, id: ResourceID, context: AuditContext) throws(HAProxyError) {
        let deadline = monotonicNanoseconds() + UInt64(Self.startTimeoutMilliseconds) * 1_000_000
        while monotonicNanoseconds() < deadline {
            if HAProxyStatsSocket.isAnswering(socket, timeoutSeconds: 1) { return }
            if !(try services.perform(.status, .haproxy(id), context: context, or: HAProxyError.service)).running { break }
            usleep(50_000)
        }
        // Only haproxy's own error lines of its log, never the raw text.
        let log = (try? directory(id)?.read(StateLayout.HAProxyFile.log)).flatMap { $0 }
            .map {
                HAProxyConfigCheckOutput.errorLines(
                    String(decoding: $0.suffix(16384), as: UTF8.self), directories: ownDirectories(id), programs: [paths.haproxy])
            }
        throw .didNotStart(details: log.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// Stops the instance and removes its files, stats socket and certificates; false if nothing existed.
    public func delete(_ id: ResourceID, context: AuditContext) throws(HAProxyError) -> Bool {
        try locks.withLock(id) { () throws(HAProxyError) -> Bool in
            let existed = base.exists(id.description)
            if try services.perform(.status, .haproxy(id), context: context, or: HAProxyError.service).running {
                try stopHAProxy(id, context: context)
            }
            do throws(FileChangeError) {
                let files = AuditedDirectory(directory: base, context: context)
                try files.remove(StateLayout.statsSocketName(id))
                try files.removeTree(StateLayout.instanceDirectoryName(id))
                // The certificate root is made at start; without it there are no certificates to remove.
                let certificates: SafeDirectory
                do throws(SystemError) {
                    certificates = try SafeDirectory.open(baseCertDir, create: false)
                } catch where error.errno == ENOENT {
                    return existed
                } catch {
                    throw .failed(error)
                }
                let certsExisted = try AuditedDirectory(directory: certificates, context: context).removeTree(id.description)
                return existed || certsExisted
            } catch {
                throw error.wrapped(refused: HAProxyError.launcher, failed: HAProxyError.storage)
            }
        }
    }

    /// Every instance with a stored configuration.
    public func list(context: AuditContext) throws(HAProxyError) -> [InstanceSummary] {
        var result: [InstanceSummary] = []
        for id in try instanceDirectoryIDs() {
            guard let text = try storedConfig(id) else { continue }
            result.append(try summary(id, text: text, context: context))
        }
        return result
    }

    /// The ids among the entries of `base_path`, in its order (other entries are skipped).
    func instanceDirectoryIDs() throws(HAProxyError) -> [ResourceID] {
        let names: [String]
        do {
            names = try base.entries()
        } catch {
            throw .storage(error)
        }
        return names.compactMap { try? ResourceID(validating: $0) }
    }

    func summary(_ id: ResourceID, text: String, context: AuditContext) throws(HAProxyError) -> InstanceSummary {
        let running = try services.perform(.status, .haproxy(id), context: context, or: HAProxyError.service).running
        var state = InstanceState.stopped
        if running {
            let socket = statsSocket(id)
            state = HAProxyStatsSocket.isAnswering(socket, timeoutSeconds: 2) ? .active : .error
        }
        return InstanceSummary(instance: id, state: state, frontends: HAProxyConfigText.frontends(in: text))
    }

    /// One instance's state and pools from its stats socket.
    public func status(_ id: ResourceID, context: AuditContext) throws(HAProxyError) -> InstanceStatus {
        guard let text = try storedConfig(id) else { throw .notFound(id) }
        let summary = try summary(id, text: text, context: context)
        var pools: [PoolStatus] = []
        if summary.state == .active {
            let socket = statsSocket(id)
            if let csv = try? HAProxyStatsSocket.query(socket, "show stat") {
                pools = HAProxyStatsSocket.pools(from: HAProxyStatsSocket.parseStat(csv))
            }
        }
        return InstanceStatus(summary: summary, pools: pools)
    }
}
