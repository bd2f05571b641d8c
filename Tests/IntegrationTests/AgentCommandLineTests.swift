import Foundation
import Testing

/// The command lines of the supervisor, the front and the Prometheus proxy (ToolCommandLine: read
/// without swift-argument-parser, so that the supervisor loads no Foundation library), as the binaries answer.
@Suite("Standalone agent command line")
struct AgentCommandLineTests {
    static let agent = AgentHarness.binDirectory + "/amphora-agent"

    @Test("--version and --help answer on stdout with status 0 and start nothing")
    func versionAndHelp() throws {
        let version = try Shell.run(Self.agent, ["--version"])
        #expect(version.stdout.hasPrefix("amphora-agent 0."), "\(version.stdout)")
        #expect(version.stderr.isEmpty)
        for flag in ["--help", "-h"] {
            let help = try Shell.run(Self.agent, [flag])
            #expect(help.stdout.hasPrefix("usage: amphora-agent [--config-file PATH]"), "\(help.stdout)")
            #expect(help.stdout.contains("/etc/octavia/amphora-agent.conf"))
        }
    }

    @Test("an unknown argument or a missing path: status 2, one error line and the usage on stderr", arguments: [
        (["--bogus"], "amphora-agent: unknown argument '--bogus'"),
        (["--config-file"], "amphora-agent: --config-file needs a PATH"),
        (["--config-file="], "amphora-agent: --config-file needs a PATH"),
        (["--config-file", ""], "amphora-agent: --config-file needs a PATH"),
    ])
    func refusedArguments(arguments: [String], message: String) throws {
        let result = try Shell.run(Self.agent, arguments, check: false)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix(message + "\nusage: amphora-agent"), "\(result.stderr)")
    }

    @Test("--config-file=PATH is read like --config-file PATH")
    func equalsForm() throws {
        let result = try Shell.run(Self.agent, ["--config-file=/nonexistent/amphora-agent.conf"], check: false)
        #expect(result.status != 0)
        #expect(result.stderr.contains("/nonexistent/amphora-agent.conf"), "\(result.stderr)")
    }

    @Test("the front and the Prometheus proxy: --version as build-deb checks it; unknown arguments refused")
    func frontAndProxy() throws {
        for tool in ["amphora-front", "amphora-prometheus-proxy"] {
            let binary = AgentHarness.binDirectory + "/" + tool
            let version = try Shell.run(binary, ["--version"])
            #expect(version.stdout.hasPrefix("\(tool) 0.") && version.stdout.contains(" (commit "), "\(version.stdout)")
            let refused = try Shell.run(binary, ["--bogus"], check: false)
            #expect(refused.status == 2)
            #expect(refused.stderr.hasPrefix("\(tool): unknown argument '--bogus'\nusage: \(tool)"), "\(refused.stderr)")
        }
    }

    @Test("the helper's launcher refuses a missing option or a value it cannot use before it opens or confines anything", arguments: [
        ("--channels", "many", "--channels many: not a valid value"), ("--require-landlock", "maybe", "--require-landlock maybe: not a valid value"),
        ("--require-landlock", nil, "--require-landlock is required"), ("--base-path", nil, "--base-path is required"),
        ("--bogus", "1", "unknown argument '--bogus'"),
    ])
    func launcherRefusesArguments(option: String, value: String?, message: String) throws {
        var options = [
            "--channels": "1", "--haproxy-cmd": "/usr/sbin/haproxy", "--keepalived-cmd": "/usr/sbin/keepalived", "--base-path": "/nonexistent",
            "--base-cert-dir": "/nonexistent/certs", "--require-landlock": "no",
        ]
        options[option] = value
        let result = try Shell.run(
            AgentHarness.binDirectory + "/amphora-helper", ["launcher"] + options.flatMap { [$0.key, $0.value] }, check: false)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("amphora-helper launcher: \(message)\nusage: amphora-helper launcher"), "\(result.stderr)")
    }
}
