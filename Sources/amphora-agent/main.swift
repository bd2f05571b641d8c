import ArgumentParser
import BuildInfo
import Supervisor

/// The standalone amphora agent: starts the root helper and the unprivileged front in the foreground.
@main
struct AmphoraAgentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amphora-agent",
        abstract: "Privilege-separated OpenStack Octavia amphora agent (standalone mode; run as root).",
        version: "amphora-agent \(BuildInfo.versionDescription)")

    @Option(name: .customLong("config-file"), help: "The agent configuration (oslo.config INI).")
    var configFile: String = "/etc/octavia/amphora-agent.conf"

    func run() throws {
        throw ExitCode(Supervisor.run(configPath: configFile))
    }
}
