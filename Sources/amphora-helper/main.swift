import ArgumentParser
import BuildInfo
import Confinement
import Glibc
import Helper
import IPCProtocol
import LinuxSystem
import ProgramLauncher

// The launcher the helper starts (`amphora-helper launcher ...`, LauncherCommandLine.swift) is read
// before swift-argument-parser: parsing through it would touch ArgumentParser's and
// FoundationEssentials' code in a process that never needs them (about 0.5 MiB of its memory).
if CommandLine.arguments.count > 1, CommandLine.arguments[1] == "launcher" {
    LauncherCommandLine.serve(CommandLine.arguments.dropFirst(2))
}
AmphoraHelperCommand.main()

/// The root helper of the amphora agent, and its audit subcommands.
struct AmphoraHelperCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amphora-helper",
        abstract: "Root side of the amphora agent: executes typed commands from the front.",
        version: "amphora-helper \(BuildInfo.versionDescription)",
        subcommands: [Serve.self, CheckIdentity.self, AuditVerify.self, AuditShow.self, AuditInit.self, AuditBench.self, VRRPCheckCommand.self, SeccompExport.self, SeccompSelfTestCommand.self],
        defaultSubcommand: Serve.self)
}

/// Serves the front over the helper socket.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the helper (default).")

    @Option(name: .customLong("config-file"), help: "The agent configuration (INI).")
    var configFile: String = "/etc/octavia/amphora-agent.conf"

    @Option(name: .customLong("notify-fd"), help: "Write READY to this descriptor once serving.")
    var notifyFD: Int32?

    @Option(name: .customLong("daemon-fd"), help: "The standalone agent's daemon channel (direct service manager).")
    var daemonFD: Int32?

    func run() throws {
        throw ExitCode(HelperMain.run(configPath: configFile, notifyFD: notifyFD, daemonFD: daemonFD))
    }
}

/// Checks the agent's TLS identity, for the standalone agent before it starts anything.
struct CheckIdentity: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-identity", abstract: "Internal: check agent_server_cert and agent_server_ca; one line on failure.",
        shouldDisplay: false)

    @Option(name: .customLong("config-file"), help: "The agent configuration (INI).")
    var configFile: String = "/etc/octavia/amphora-agent.conf"

    func run() throws {
        throw ExitCode(HelperMain.checkIdentity(configPath: configFile))
    }
}

/// Checks an audit log set: hashes, chain, epochs, and with the auditor's key the seals.
struct AuditVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit-verify",
        abstract: "Verify an audit log (a directory: its whole rotated set; or files, in order); reports the first broken record.")

    @Argument(help: "The log directory, or log files oldest first.") var paths: [String]

    @Option(name: .customLong("key"), help: "The verification key (the seed audit-init or the helper exported); again after a seal reset.")
    var keys: [String] = []

    @Option(name: .customLong("anchor"), help: "SEQ:HASH of a head the controller received (heartbeat audit_head): it must still be in the log.")
    var anchor: String?

    @Option(name: .customLong("after"), help: "SEQ:HASH of the last record of the file before the first one given.")
    var after: String?

    func run() throws {
        var sealKeys: [AuditSealKey] = []
        for path in keys {
            guard var text = try? readFile(path, limit: 4096), let key = AuditSealKey.parse(text) else {
                throw commandFailure("audit-verify: \(path): not a verification key file")
            }
            text.withUnsafeMutableBytes { secureZero($0) }
            sealKeys.append(key)
        }
        let anchorLink = try anchor.map { text in
            guard let link = AuditChainVerifier.Link(parsing: text) else { throw ValidationError("--anchor must be SEQ:HASH (64 hex digits)") }
            return link
        }
        let afterLink = try after.map { text in
            guard let link = AuditChainVerifier.Link(parsing: text) else { throw ValidationError("--after must be SEQ:HASH (64 hex digits)") }
            return link
        }
        let files = try auditLogFiles(paths, command: "audit-verify")
        let verifier = AuditChainVerifier(keys: sealKeys, anchor: anchorLink, after: afterLink)
        for file in files {
            do {
                try AuditLogFile.forEachLine(file) { line, number in verifier.check(line, file: file, number: number) }
            } catch {
                throw commandFailure("audit-verify: \(file): \(error)")
            }
        }
        switch verifier.finish() {
        case .success(let summary):
            var text = "audit log intact: \(summary.records) records"
            if let head = summary.head { text += ", head \(head.sequence):\(head.hash) epoch \(head.epoch)" }
            text += summary.sealsChecked ? ", seals verified" : ", seals NOT checked (no --key)"
            if summary.sealsChecked, summary.unsealedRecords > 0 {
                text += " (the first \(summary.unsealedRecords) records predate sealing: chained, not sealed)"
            }
            if summary.firstSequence > 1, afterLink == nil, let pruned = summary.prunedBefore {
                text += ", starts at record \(summary.firstSequence) (after \(pruned), whose pruning the set records)"
            }
            if anchorLink != nil { text += ", anchor found" }
            FileDescriptorOutput.standardOutput.write(text + "\n")
        case .failure(let problem):
            FileDescriptorOutput.standardOutput.write("audit log BROKEN at line \(problem.line) of \(problem.file): \(problem.reason)\n")
            throw ExitCode(1)
        }
    }
}

/// Writes `message` to stderr and returns exit status 2, the status of a command that could not do its work.
func commandFailure(_ message: String) -> ExitCode {
    FileDescriptorOutput.standardError.write(message + "\n")
    return ExitCode(2)
}

/// The log files `paths` name (a directory stands for its files, oldest first); when they cannot be
/// listed, says why on stderr under the name of `command` and exits with status 2.
func auditLogFiles(_ paths: [String], command: String) throws -> [String] {
    do {
        return try AuditLogFile.expand(paths)
    } catch {
        throw commandFailure("\(command): \(error)")
    }
}

/// Prints audit records, filtered.
struct AuditShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit-show", abstract: "Print audit records (a log directory or files), filtered, for people or as JSON lines.")

    @Argument(help: "The log directory, or log files oldest first.") var paths: [String] = ["/var/log/amphora-agent"]
    @Option(help: "Records at or after this UTC time (2026-12-02T10:00 or a prefix).") var since: String?
    @Option(help: "Records before this UTC time.") var until: String?
    @Option(name: .customLong("request"), help: "Records of this request id.") var requestID: String?
    @Option(help: "Records of this event (exec-intent, exec-outcome, ...).") var event: String?
    @Option(help: "Records of this program (argv[0] or its name).") var program: String?
    @Flag(help: "Print the records as they are stored (JSON lines).") var json = false

    func run() throws {
        let query = AuditQuery(since: since, until: until, requestID: requestID, event: event, program: program)
        let files = try auditLogFiles(paths, command: "audit-show")
        var unreadable = 0
        for file in files {
            do {
                try AuditLogFile.forEachLine(file) { line, _ in
                    guard case .complete(let bytes) = line, let record = AuditRecord.parse(bytes) else {
                        unreadable += 1
                        return true
                    }
                    guard query.matches(record) else { return true }
                    FileDescriptorOutput.standardOutput.write(json ? String(decoding: bytes, as: UTF8.self) + "\n" : AuditQuery.human(record) + "\n")
                    return true
                }
            } catch {
                throw commandFailure("audit-show: \(file): \(error)")
            }
        }
        if unreadable > 0 { FileDescriptorOutput.standardError.write("audit-show: \(unreadable) lines are not audit records (run audit-verify)\n") }
    }
}

/// Makes the sealing key before the helper's first start and exports its seed once.
struct AuditInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit-init",
        abstract: "Make the audit log's sealing key and write its verification key (the seed) once to a new file, for the auditor.")

    @Option(name: .customLong("config-file"), help: "The agent configuration (INI): where the audit log is.")
    var configFile: String = "/etc/octavia/amphora-agent.conf"

    @Option(name: .customLong("export"), help: "The new file (0400) for the verification key; take it off the amphora.")
    var export: String

    func run() throws {
        throw ExitCode(HelperMain.initializeAuditSeal(configPath: configFile, exportPath: export))
    }
}

/// Measures what one audit record append costs (chain, seal, key evolution, write, fsync) for the benchmark.
struct AuditBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit-bench",
        abstract: "Measure one audit record append (chain, seal, epoch key evolution, write, fsync) in a scratch directory; one JSON line.")

    @Option(help: "Records per measurement.") var records: Int = 200
    @Option(name: .customLong("dir"), help: "An existing directory on the real log's filesystem; the files made there are removed.")
    var directory: String

    func run() throws {
        guard records > 0 else { throw ValidationError("--records must be positive") }
        do {
            FileDescriptorOutput.standardOutput.write(try AuditAppendCost.measure(records: records, directory: directory).json + "\n")
        } catch {
            throw commandFailure("audit-bench: \(error)")
        }
    }
}

/// Prints a role's compiled seccomp filter as libseccomp pseudo filter code (the golden files in policy/).
struct SeccompExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seccomp-export", abstract: "Print the compiled seccomp filter of front, helper or launcher (PFC).")

    @Argument(help: "front, helper or launcher") var role: String

    func run() throws {
        guard let role = ConfinedRole(rawValue: role) else { throw ValidationError("role must be front, helper or launcher") }
        do {
            FileDescriptorOutput.standardOutput.write(try Confinement.filter(for: role).exportPFC())
        } catch {
            FileDescriptorOutput.standardError.write("seccomp-export: \(error.description)\n")
            throw ExitCode(1)
        }
    }
}

/// Loads a role's filter into this process and tries one probe (the confinement tests run it).
struct SeccompSelfTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seccomp-selftest", abstract: "Internal: load a filter and try a forbidden call.", shouldDisplay: false)

    @Argument(help: "front, helper or launcher") var role: String
    @Argument(help: "execve, fork, thread, execveat-outside, execveat-slot, close-slot, packet-socket, ptrace") var probe: String

    func run() throws {
        guard let role = ConfinedRole(rawValue: role) else { throw ValidationError("role must be front, helper or launcher") }
        guard let probe = SeccompSelfTest.Probe(rawValue: probe) else { throw ValidationError("unknown probe \(probe)") }
        SeccompSelfTest.run(role: role, probe: probe)
    }
}

/// The VRRP health check keepalived runs: exit 0 when every haproxy instance answers on its stats socket.
struct VRRPCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vrrp-check", abstract: "Exit 0 when every configured haproxy instance answers on its stats socket.")

    @Option(name: .customLong("base-path"), help: "The agent's base_path.") var basePath: String

    func run() throws {
        throw ExitCode(VRRPCheck.run(basePath: basePath))
    }
}
