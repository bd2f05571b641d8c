import Foundation
import Testing

/// One run of Octavia's controller client (Tests/Conformance/drive_octavia_client.py) against a
/// running agent, as the conformance and the helper-restart suites drive it: the amphora namespace is
/// the test's own; the VIP and member ports are veth pairs with chosen MACs whose peers sit in a client
/// namespace; the agent sends its heartbeats to a loopback port the driver listens on.
struct OctaviaClientRun {
    let python: String
    let amphoraNS: TestNamespace
    let client: TestNamespace
    let agent: AgentHarness
    /// keepalived refuses check scripts below a world-writable directory (/tmp): a root-only base_path.
    let basePath: String
    let vipMAC: String
    let memberMAC: String
    let heartbeatPort: Int

    /// The namespaces, the ports and the started agent; ``stop()`` stops it and removes the base path.
    init() throws {
        python = try Shell.run("/bin/bash", [ConformanceTests.ensureVenv]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) + "/bin/python"
        amphoraNS = try TestNamespace()
        client = try TestNamespace()
        let suffix = String(client.name.suffix(6))
        vipMAC = ConformanceTests.mac(1)
        memberMAC = ConformanceTests.mac(2)
        try client.addPort(rootName: "ca\(suffix)", rootMAC: vipMAC, peerName: "cb\(suffix)", peerAddress: "203.0.113.1/24")
        try client.addPort(rootName: "cm\(suffix)", rootMAC: memberMAC, peerName: "cn\(suffix)", peerAddress: "192.0.2.1/24")
        let agent = try AgentHarness(extraConfig: "netns = \(amphoraNS.name)")
        let basePath = try LVSListenerTests.relocateBasePath(agent)
        do {
            heartbeatPort = try ConformanceTests.freeUDPPort()
            let config = try String(contentsOfFile: agent.configPath, encoding: .utf8)
            try config.replacingOccurrences(
                of: "heartbeat_key = insecure",
                with: "heartbeat_key = insecure\ncontroller_ip_port_list = 127.0.0.1:\(heartbeatPort)\nheartbeat_interval = 1"
            ).write(toFile: agent.configPath, atomically: true, encoding: .utf8)
            try agent.start()
        } catch {
            try? FileManager.default.removeItem(atPath: basePath)
            throw error
        }
        self.agent = agent
        self.basePath = basePath
    }

    func stop() {
        agent.stop()
        try? FileManager.default.removeItem(atPath: basePath)
    }

    /// The driver's outcome: its process result and its STEP and SUMMARY lines.
    struct Outcome {
        let run: Shell.Result
        let steps: [Substring]
        /// The steps that failed.
        var failed: [Substring] { steps.filter { $0.hasPrefix("STEP ") && $0.split(separator: " ").dropFirst(2).first == "FAIL" } }
    }

    /// Runs the driver with the common arguments and `extraArguments`; prints one line per step in
    /// the test log, whatever happened.
    func drive(_ extraArguments: [String]) throws -> Outcome {
        let run = try Shell.run(python, [
            ConformanceTests.driver, "--certdir", agent.pki, "--port", String(agent.port), "--amphora-id", AgentHarness.amphoraID,
            "--base-path", basePath, "--netns", amphoraNS.name, "--vip-mac", vipMAC, "--member-mac", memberMAC,
            "--agent-config", agent.configPath, "--heartbeat-port", String(heartbeatPort), "--heartbeat-key", "insecure",
        ] + extraArguments, check: false)
        let steps = run.stdout.split(separator: "\n").filter { $0.hasPrefix("STEP ") || $0.hasPrefix("SUMMARY ") }
        print(steps.joined(separator: "\n"))
        return Outcome(run: run, steps: steps)
    }
}
