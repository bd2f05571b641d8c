import AgentConfig
import Glibc
import IPCProtocol
import LinuxSystem
import ProgramLauncher

/// The VRRP keepalived configuration of the topology manager: the controller's `PUT /vrrp/upload`
/// and `PUT /vrrp/<action>`, and the store-check-run steps the ACTIVE-STANDBY rendering shares.
extension TopologyManager {
    // MARK: - keepalived configuration

    /// The VRRP directory; nil when there is none yet (an upload makes it, audited).
    func vrrpDirectory() throws(KeepalivedError) -> SafeDirectory? {
        do {
            return try base.subdirectory(StateLayout.vrrpDirectoryName, create: false)
        } catch {
            throw .directoryUnavailable(error)
        }
    }

    /// The VRRP allow-list (`policy/keepalived-vrrp.txt`): Octavia's keepalived template, the agent's
    /// own rendering, and only the agent's own check script.
    func vrrpPolicy() throws(KeepalivedError) -> VRRPConfigPolicy {
        do {
            return try VRRPConfigPolicy.embedded(basePath: basePath)
        } catch {
            throw .policy(error)
        }
    }

    /// Checks `text` against ``vrrpPolicy()``.
    func checkPolicy(_ text: String) throws(KeepalivedError) {
        let policy = try vrrpPolicy()
        do {
            try policy.check(text)
        } catch {
            throw .policy(error)
        }
    }

    /// Checks `text` against the VRRP policy and `keepalived --config-test` (status judged by `KeepalivedConfigTest.passed`, the
    /// SECURITY VIOLATION status 6 included, is a refusal) and makes it the active configuration
    /// (0600, behind the agent's script-security header); a failed check keeps
    /// `octavia-keepalived.conf.new-failed` and the active file. A refused text never reaches keepalived.
    func store(_ text: String, context: AuditContext) throws(KeepalivedError) {
        try checkPolicy(text)
        let vrrp: SafeDirectory
        do throws(FileChangeError) {
            vrrp = try AuditedDirectory(directory: base, context: context).subdirectory(StateLayout.vrrpDirectoryName)
        } catch {
            throw error.wrapped(refused: KeepalivedError.launcher, failed: { KeepalivedError.directoryUnavailable($0) })
        }
        let config = CandidateFile(directory: vrrp, name: StateLayout.VRRPFile.config, context: context)
        do throws(FileChangeError) {
            try config.write(Array(KeepalivedConfigTest.stored(text).utf8), mode: 0o600)
            try config.directory.write(StateLayout.VRRPFile.checkScript, checkScriptBytes, mode: 0o700)
        } catch {
            throw error.wrapped(refused: KeepalivedError.launcher, failed: KeepalivedError.notStored)
        }
        try requireSafeCheckScript()
        let check = try runner.run(.keepalivedCheck(netns: network.netns, candidate: true), context: context, deadlineMilliseconds: 30_000, or: KeepalivedError.launcher)
        guard KeepalivedConfigTest.passed(check) else {
            config.keepFailed()
            throw .configTestFailed(details: KeepalivedConfigTest.refusalDetails(check, uploaded: text))
        }
        do throws(FileChangeError) {
            try config.promote()
        } catch {
            throw error.wrapped(refused: KeepalivedError.launcher, failed: KeepalivedError.notStored)
        }
    }

    /// The stored configuration as uploaded (without the agent's header); nil when there is none.
    func storedText() throws(KeepalivedError) -> String? {
        guard let vrrp = try vrrpDirectory() else { return nil }
        do {
            return try vrrp.read(StateLayout.VRRPFile.config).map { KeepalivedConfigTest.uploaded(String(decoding: $0, as: UTF8.self)) }
        } catch {
            throw .notRead(error)
        }
    }

    /// Before keepalived (re)reads the stored file: it must still pass the policy (a file stored by an
    /// older agent may predate it) and `keepalived --config-test`.
    func recheckStored(context: AuditContext) throws(KeepalivedError) {
        guard let text = try storedText() else { throw .notConfigured }
        try checkPolicy(text)
        if try storedRaw() != KeepalivedConfigTest.stored(text), let vrrp = try vrrpDirectory() {
            // Stored by an agent without the script-security header: add it.
            do throws(FileChangeError) {
                try AuditedDirectory(directory: vrrp, context: context).write(
                    StateLayout.VRRPFile.config, Array(KeepalivedConfigTest.stored(text).utf8), mode: 0o600)
            } catch {
                throw error.wrapped(refused: KeepalivedError.launcher, failed: KeepalivedError.notStored)
            }
        }
        if let vrrp = try vrrpDirectory() {
            // Missing or not exactly the wrapper this agent writes (an older agent's, removed, another mode): written again.
            do throws(FileChangeError) {
                try AuditedDirectory(directory: vrrp, context: context).writeIfChanged(StateLayout.VRRPFile.checkScript, checkScriptBytes, mode: 0o700)
            } catch {
                throw error.wrapped(refused: KeepalivedError.launcher, failed: KeepalivedError.notStored)
            }
        }
        try requireSafeCheckScript()
        let check = try runner.run(.keepalivedCheck(netns: network.netns, candidate: false), context: context, deadlineMilliseconds: 30_000, or: KeepalivedError.launcher)
        guard KeepalivedConfigTest.passed(check) else {
            throw .configTestFailed(details: KeepalivedConfigTest.refusalDetails(check, uploaded: text))
        }
    }

    func storedRaw() throws(KeepalivedError) -> String? {
        guard let vrrp = try vrrpDirectory() else { return nil }
        do {
            return try vrrp.read(StateLayout.VRRPFile.config).map { String(decoding: $0, as: UTF8.self) }
        } catch {
            throw .notRead(error)
        }
    }

    /// The VRRP check script this agent writes (``VRRPCheckScript``).
    var checkScriptBytes: [UInt8] { Array(VRRPCheckScript.text(helperExecutable: helperExecutable, basePath: basePath).utf8) }

    /// Refuses to go on when keepalived, as root, would disable the check script (see ``KeepalivedScriptSecurity``).
    func requireSafeCheckScript() throws(KeepalivedError) {
        let path = StateLayout(basePath: basePath).vrrpFile(StateLayout.VRRPFile.checkScript)
        if let problem = KeepalivedScriptSecurity.problem(atPath: path) { throw .checkScriptUnsafe(details: problem) }
    }

    /// Starts keepalived, or reloads it when it already runs; then makes sure it stays up for a second
    /// (a configuration can pass the test and still make keepalived exit).
    func runKeepalived(context: AuditContext) throws(KeepalivedError) {
        let running = try services.perform(.status, .keepalived, context: context, or: KeepalivedError.service).running
        _ = try services.perform(running ? .reload : .start, .keepalived, context: context, or: KeepalivedError.service)
        for _ in 0..<10 {
            usleep(100_000)
            guard try services.perform(.status, .keepalived, context: context, or: KeepalivedError.service).running else {
                // Only keepalived's own messages about the stored text, filtered and capped: never the raw log.
                var lines: [String] = []
                if let directory = (try? vrrpDirectory()) ?? nil, let bytes = (try? directory.read(StateLayout.VRRPFile.log)) ?? nil {
                    let log = String(decoding: bytes.suffix(4096), as: UTF8.self)
                    lines = KeepalivedOutputFilter.lines(log, reference: ((try? storedText()) ?? nil) ?? "", lineOffset: KeepalivedConfigTest.headerLines)
                }
                throw .exited(details: lines.isEmpty ? nil : lines.joined(separator: "\n"))
            }
        }
    }

    // MARK: - VRRP endpoints

    /// `PUT /vrrp/upload`: returns the MD5 of the stored configuration.
    /// A refused text is 400; a failure to store it is the seed spec's "Failed to upload keepalived
    /// configuration." (500).
    public func upload(_ text: String, context: AuditContext) throws(KeepalivedError) -> String {
        try changeLock.withLock { _ throws(KeepalivedError) -> String in
            do throws(KeepalivedError) {
                try store(text, context: context)
            } catch {
                guard error.isInternalError else { throw error }
                throw .uploadFailed(cause: error)
            }
            return Digest.md5Hex(text.utf8)
        }
    }

    /// `PUT /vrrp/<action>`.
    public func perform(_ action: ServiceAction, context: AuditContext) throws(KeepalivedError) -> String {
        try changeLock.withLock { _ throws(KeepalivedError) -> String in
            let configured = (try vrrpDirectory())?.exists(StateLayout.VRRPFile.config) ?? false
            do throws(KeepalivedError) {
                switch action {
                case .start:
                    guard configured else { throw .notConfigured }
                    try recheckStored(context: context)
                    try runKeepalived(context: context)
                    return "keepalived started"
                case .reload:
                    guard configured else { throw .notConfigured }
                    try recheckStored(context: context)
                    try runKeepalived(context: context)
                    return "keepalived reloaded"
                case .stop:
                    _ = try services.perform(.stop, .keepalived, context: context, or: KeepalivedError.service)
                    return "keepalived stopped"
                }
            } catch {
                throw .actionFailed(action, cause: error)
            }
        }
    }
}
