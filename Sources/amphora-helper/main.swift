import ArgumentParser
import BuildInfo
import Confinement
import Glibc
import Helper
import LinuxSystem
import ProgramLauncher

/// The root helper of the amphora agent, and its launcher and audit subcommands.
@main
struct AmphoraHelperCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amphora-helper",
        abstract: "Root side of the amphora agent: executes typed commands from the front.",
        version: "amphora-helper \(BuildInfo.versionDescription)",
        subcommands: [Serve.self, Launcher.self, CheckIdentity.self, AuditVerify.self, VRRPCheckCommand.self, SeccompExport.self, SeccompSelfTestCommand.self],
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

/// The launcher process (started by the helper itself; not for direct use).
struct Launcher: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "launcher", abstract: "Internal: the launcher the helper starts on descriptor 3.", shouldDisplay: false)

    @Option(name: .customLong("haproxy-cmd")) var haproxyCmd: String
    @Option(name: .customLong("keepalived-cmd")) var keepalivedCmd: String
    @Option(name: .customLong("base-path")) var basePath: String
    @Option(name: .customLong("base-cert-dir")) var baseCertDir: String = "/var/lib/octavia/certs"
    @Flag(name: .customLong("require-landlock")) var requireLandlock = false

    func run() throws {
        LauncherProcess.serve(
            fd: 3, paths: ProgramPaths(haproxy: haproxyCmd, keepalived: keepalivedCmd, basePath: basePath, baseCertDir: baseCertDir),
            requireLandlock: requireLandlock)
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

/// Checks the hash chain of an audit log.
struct AuditVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit-verify", abstract: "Verify an audit log's hash chain; reports the first broken or edited record.")

    @Argument(help: "The audit log (JSON lines).") var file: String

    func run() throws {
        let contents: [UInt8]
        do {
            contents = try AuditLogFile.read(file)
        } catch {
            FileDescriptorOutput.standardError.write("audit-verify: \(file): \(error)\n")
            throw ExitCode(2)
        }
        switch AuditLog.verify(contents: contents) {
        case .intact(let records):
            FileDescriptorOutput.standardOutput.write("audit log intact: \(records) records\n")
        case .broken(let line, let reason):
            FileDescriptorOutput.standardOutput.write("audit log BROKEN at line \(line): \(reason)\n")
            throw ExitCode(1)
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
