import AgentConfig
import Glibc
import IPCProtocol
import LinuxSystem
import ProgramLauncher

/// UDP (and SCTP) listeners: keepalived LVS configurations under `<base_path>/lvs/`, one
/// `octavia-keepalivedlvs-<id>.conf` (0600) per listener, checked against the compiled-in policy and
/// `keepalived --config-test` before they replace the active file. Each listener's keepalived is a
/// daemon unit (`.lvs(id)`), started only where the kernel has IP Virtual Server support. After a
/// start or restart in SINGLE topology the listener's VIPs are announced (gratuitous ARP /
/// unsolicited NA), as upstream's `manage_lvs_listener` does with `send_vip_advertisements`.
public final class LVSListeners: Sendable {
    /// The agent's own UDP health check (`MISC_CHECK misc_path`), as upstream's `udp_check.sh` does it.
    static let checkScript = """
        #!/bin/sh
        # Written by the amphora agent: UDP health check for keepalived's MISC_CHECK (ADDRESS PORT).
        nc_cmd=$(command -v nc) || exit 1
        case "$($nc_cmd --version 2>&1)" in
        *nmap*) opts=-i1 ;;
        *) opts=-w1 ;;
        esac
        exec $nc_cmd -uzv $opts "$1" "$2" > /dev/null 2>&1

        """
    /// Where the kernel shows IP_VS when it has it (built in or the ip_vs module loaded).
    public static let ipvsProcFile = "/proc/net/ip_vs"

    let base: SafeDirectory
    let paths: ProgramPaths
    let runner: any CommandRunning
    let services: any ServiceManager
    let policy: LVSConfigPolicy
    /// The amphora namespace, where the listeners' keepalived runs and its check runs too.
    let netns: InterfaceName
    let locks = InstanceLocks()
    /// Held while the directories all listeners share (`lvs/`, `lvs/check/`) are opened or made, so
    /// that two listeners' first uploads record one `mkdir`, not two.
    let sharedDirectories = LockedValue(())
    /// Tests and unusual kernels may point this elsewhere; production reads ``ipvsProcFile``.
    let ipvsProbePath: String
    /// Announces the VIPs after a start (nil: never, e.g. in unit tests without a namespace).
    let announcer: AddressAnnouncer?

    public init(
        base: SafeDirectory, paths: ProgramPaths, runner: any CommandRunning, services: any ServiceManager, policy: LVSConfigPolicy,
        netns: InterfaceName, ipvsProbePath: String = LVSListeners.ipvsProcFile, announcer: AddressAnnouncer? = nil
    ) {
        self.base = base
        self.paths = paths
        self.runner = runner
        self.services = services
        self.policy = policy
        self.netns = netns
        self.ipvsProbePath = ipvsProbePath
        self.announcer = announcer
    }

    /// The listeners' directory; nil when there is none yet (an upload makes it, audited).
    func directory() throws(LVSError) -> SafeDirectory? {
        do {
            return try base.subdirectory(StateLayout.lvsDirectoryName, create: false)
        } catch {
            throw .storage(error)
        }
    }

    /// Where the UDP check script lies, as the policy names it (`{base_path}/lvs/check/udp_check.sh`).
    var checkScriptPath: String {
        paths.layout.lvsFile(StateLayout.lvsCheckDirectoryName + "/" + StateLayout.lvsCheckScriptName)
    }

    /// Writes ``checkScript`` (0700) into `<lvs>/check/`; with `onlyIfChanged`, only when it is not
    /// already exactly that (a regular file of root's, that mode, that text: see ``AuditedDirectory/writeIfChanged(_:_:mode:)``).
    func writeCheckScript(in dir: SafeDirectory, context: AuditContext, onlyIfChanged: Bool) throws(FileChangeError) {
        let check = try sharedDirectories.withLock { _ throws(FileChangeError) -> SafeDirectory in
            try AuditedDirectory(directory: dir, context: context).subdirectory(StateLayout.lvsCheckDirectoryName)
        }
        let files = AuditedDirectory(directory: check, context: context)
        let bytes = Array(Self.checkScript.utf8)
        if onlyIfChanged {
            try files.writeIfChanged(StateLayout.lvsCheckScriptName, bytes, mode: 0o700)
        } else {
            try files.write(StateLayout.lvsCheckScriptName, bytes, mode: 0o700)
        }
    }

    /// Why keepalived, as root, would disable the UDP check script a configuration names (see
    /// ``KeepalivedScriptSecurity``); nil when it names none or the script is safe to run.
    func checkScriptProblem(_ summary: LVSConfigPolicy.Summary) -> String? {
        summary.scriptsUsed.contains(checkScriptPath) ? KeepalivedScriptSecurity.problem(atPath: checkScriptPath) : nil
    }

    /// The stored configuration as uploaded (without the agent's script-security header).
    func storedConfig(_ id: ResourceID) throws(LVSError) -> String? {
        guard let dir = try directory() else { return nil }
        do {
            return try dir.read(StateLayout.lvsConfigName(id)).map { KeepalivedConfigTest.uploaded(String(decoding: $0, as: UTF8.self)) }
        } catch {
            throw .storage(error)
        }
    }

    /// The listeners with a stored configuration, in file-name order (no process).
    func storedListeners() throws(LVSError) -> [ResourceID] {
        guard let dir = try directory() else { return [] }
        let names: [String]
        do {
            names = try dir.entries()
        } catch {
            throw .storage(error)
        }
        return names.sorted().compactMap { name in
            guard name.hasPrefix(StateLayout.lvsPrefix), name.hasSuffix(".conf") else { return nil }
            return try? ResourceID(validating: String(name.dropFirst(StateLayout.lvsPrefix.count).dropLast(".conf".count)))
        }
    }

    /// True when a configuration for `id` is stored (upstream routes start/stop/delete of that id
    /// here): anything by that name, symlinks not followed; what cannot be examined throws.
    public func exists(_ id: ResourceID) throws(LVSError) -> Bool {
        guard let dir = try directory() else { return false }
        do {
            return try dir.contains(StateLayout.lvsConfigName(id))
        } catch {
            throw .storage(error)
        }
    }

    /// Whether the running kernel can do LVS; the reason when it cannot.
    public func kernelSupport() -> String? {
        var st = stat()
        if stat(ipvsProbePath, &st) == 0 { return nil }
        return "The kernel has no IP Virtual Server support (IP_VS): \(ipvsProbePath) is missing. UDP and SCTP listeners "
            + "need a kernel built with CONFIG_IP_VS or the ip_vs module loaded on the amphora."
    }

    // MARK: - Commands

    /// Checks and stores a configuration; returns its MD5. A refused configuration leaves the active one in place.
    public func upload(_ upload: LVSConfigUpload, context: AuditContext) throws(LVSError) -> String {
        let summary: LVSConfigPolicy.Summary
        do {
            summary = try policy.check(upload.config)
        } catch {
            throw .policy(error)
        }
        return try locks.withLock(upload.listener) { () throws(LVSError) -> String in
            let dir: SafeDirectory
            do throws(FileChangeError) {
                dir = try sharedDirectories.withLock { _ throws(FileChangeError) -> SafeDirectory in
                    try AuditedDirectory(directory: base, context: context).subdirectory(StateLayout.lvsDirectoryName)
                }
            } catch {
                throw error.wrapped(refused: LVSError.launcher, failed: LVSError.storage)
            }
            let config = CandidateFile(directory: dir, name: StateLayout.lvsConfigName(upload.listener), context: context)
            do throws(FileChangeError) {
                if !summary.scriptsUsed.isEmpty {
                    // The only script the policy lets a configuration run: ours, rewritten at every upload.
                    try writeCheckScript(in: dir, context: context, onlyIfChanged: false)
                }
            } catch {
                throw error.wrapped(refused: LVSError.launcher, failed: LVSError.storage)
            }
            if let problem = checkScriptProblem(summary) { throw .checkScriptUnsafe(details: problem) }
            do throws(FileChangeError) {
                try config.write(Array(KeepalivedConfigTest.stored(upload.config).utf8))
            } catch {
                throw error.wrapped(refused: LVSError.launcher, failed: LVSError.storage)
            }
            let check = try runner.run(.keepalivedLVSCheck(listener: upload.listener, netns: netns, candidate: true), context: context, deadlineMilliseconds: 30_000, or: LVSError.launcher)
            guard KeepalivedConfigTest.passed(check) else {
                config.keepFailed()
                throw .configTestFailed(details: KeepalivedConfigTest.refusalDetails(check, uploaded: upload.config))
            }
            do throws(FileChangeError) {
                try config.promote(clearingFailed: true)
            } catch {
                throw error.wrapped(refused: LVSError.launcher, failed: LVSError.storage)
            }
            return Digest.md5Hex(upload.config.utf8)
        }
    }

    /// The stored configuration.
    public func config(_ id: ResourceID) throws(LVSError) -> StoredFile {
        guard let text = try storedConfig(id) else { throw .notFound(id) }
        return StoredFile(text: text, md5: Digest.md5Hex(text.utf8))
    }

    /// start, stop or reload. Reload is a restart, as upstream does (a keepalived reload does not
    /// restore member state). Starting needs IP_VS in the kernel: without it, a clear 500 and nothing runs.
    public func perform(_ action: ServiceAction, on id: ResourceID, context: AuditContext) throws(LVSError) -> String {
        try locks.withLock(id) { () throws(LVSError) -> String in
            guard let stored = try storedConfig(id) else { throw .notFound(id) }
            switch action {
            case .stop:
                _ = try serviceOrFail(.stop, action, id, context: context)
                return "keepalivedlvs listener \(id) stopped"
            case .start, .reload:
                if let missing = kernelSupport() { throw .actionFailed(action, id, .noKernelSupport(missing)) }
                // A file stored by an older agent may predate the policy: it must pass again before keepalived reads it.
                let summary: LVSConfigPolicy.Summary
                do throws(KeepalivedConfigError) {
                    summary = try policy.check(stored)
                } catch {
                    throw .actionFailed(action, id, .policy(error))
                }
                // The UDP check script it names: written again when missing or not this agent's, and safe to run.
                if summary.scriptsUsed.contains(checkScriptPath), let dir = try directory() {
                    do throws(FileChangeError) {
                        try writeCheckScript(in: dir, context: context, onlyIfChanged: true)
                    } catch {
                        throw error.wrapped(refused: LVSError.launcher, failed: LVSError.storage)
                    }
                }
                if let problem = checkScriptProblem(summary) { throw .actionFailed(action, id, .checkScriptUnsafe(problem)) }
                let check = try runner.run(.keepalivedLVSCheck(listener: id, netns: netns, candidate: false), context: context, deadlineMilliseconds: 30_000, or: LVSError.launcher)
                guard KeepalivedConfigTest.passed(check) else {
                    throw .actionFailed(action, id, .configTest(KeepalivedConfigTest.refusalDetails(check, uploaded: stored)))
                }
                let running = try services.perform(.status, .lvs(id), context: context, or: LVSError.service).running
                // Upstream runs `systemctl start` (a no-op when running) and announces in either case.
                let vips = LVSListenerLayout(config: stored).virtualEndpoints.map(\.address)
                if running, action == .start {
                    announcer?.announceVIPs(vips, context: context)
                    return "keepalivedlvs listener \(id) already running"
                }
                if running { _ = try serviceOrFail(.stop, action, id, context: context) }
                _ = try serviceOrFail(.start, action, id, context: context)
                announcer?.announceVIPs(vips, context: context)
                return "keepalivedlvs listener \(id) \(action == .reload ? "restarted" : "started")"
            }
        }
    }

    /// The service manager's errors name haproxy; say which listener's `action` failed instead.
    func serviceOrFail(_ operation: DaemonOperation, _ action: ServiceAction, _ id: ResourceID, context: AuditContext) throws(LVSError) -> DaemonStatus {
        try services.perform(operation, .lvs(id), context: context) { LVSError.actionFailed(action, id, .service($0)) }
    }

    /// Stops the listener's keepalived and removes its files; false if nothing existed.
    public func delete(_ id: ResourceID, context: AuditContext) throws(LVSError) -> Bool {
        try locks.withLock(id) { () throws(LVSError) -> Bool in
            guard let dir = try directory() else { return false }
            let config = CandidateFile(directory: dir, name: StateLayout.lvsConfigName(id), context: context)
            let existed = dir.exists(config.name)
            if existed, try services.perform(.status, .lvs(id), context: context, or: LVSError.service).running {
                _ = try services.perform(.stop, .lvs(id), context: context, or: LVSError.stopFailed)
            }
            do throws(FileChangeError) {
                _ = try config.removeAll()
                for suffix in StateLayout.lvsRuntimeSuffixes { try config.directory.remove(StateLayout.lvsStem(id) + suffix) }
            } catch {
                throw error.wrapped(refused: LVSError.launcher, failed: LVSError.storage)
            }
            return existed
        }
    }

    /// Every stored listener: ACTIVE when its keepalived runs and serves a virtual_server, OFFLINE when
    /// it does not run, ERROR when it runs with nothing to serve.
    public func list(context: AuditContext) throws(LVSError) -> [LVSListenerSummary] {
        var result: [LVSListenerSummary] = []
        for id in try storedListeners() {
            guard let text = try storedConfig(id) else { continue }
            let running = try services.perform(.status, .lvs(id), context: context, or: LVSError.service).running
            let serves = (try? policy.check(text))?.virtualServers ?? 0 > 0
            result.append(LVSListenerSummary(listener: id, state: running ? (serves ? .active : .error) : .offline))
        }
        return result
    }
}

extension CommandHandler {
    /// `/details` as upstream reports UDP listeners: every stored one in `listeners`, the running ones
    /// in `lvs_listener_process_count` (no process is started to find out).
    func withLVSListeners(_ details: AmphoraDetails, context: AuditContext) -> AmphoraDetails {
        guard let lvs, let listeners = try? lvs.list(context: context), !listeners.isEmpty else { return details }
        var result = details
        result.listeners = Array(Set(details.listeners + listeners.map(\.listener.description))).sorted()
        result.lvsListenerProcessCount = listeners.filter { $0.state != .offline }.count
        return result
    }
}
