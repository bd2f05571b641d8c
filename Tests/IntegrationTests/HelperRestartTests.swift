import Foundation
import Testing

/// Issue 16, "Statuses the controller acts on": a restarting helper is ridden out by the front. The
/// standalone agent's supervisor restarts a killed helper; the front replaces its stale pooled
/// connections, waits for the new helper and answers normally, instead of the 503 "Helper
/// unavailable" that Octavia's controller raises and never retries.
@Suite("Helper restarts under load", .serialized, .timeLimit(.minutes(15)))
struct HelperRestartTests {
    /// Waits until the agent log shows `count` helpers ready (the first start counts one), so that a
    /// kill never meets a helper the supervisor is still starting (which it would not restart).
    static func waitForReadyHelpers(_ agent: AgentHarness, _ count: Int) throws {
        let deadline = Date().addingTimeInterval(60)
        while agent.log().components(separatedBy: "helper ready").count - 1 < count {
            guard Date() < deadline else { throw HarnessError("helper \(count) not ready:\n\(agent.log().suffix(3000))") }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Thread.sleep(forTimeInterval: 0.2)
    }

    @Test("a request sent right after the helper is killed is answered normally, each time")
    func requestAfterAKilledHelperIsAnswered() throws {
        let agent = try AgentHarness()
        try agent.start()
        defer { agent.stop() }
        // Pooled connections to the first helper exist.
        #expect(try agent.request("GET", "/1.0/info").status == 200)
        #expect(try agent.request("GET", "/1.0/details").status == 200)
        // The supervisor allows 5 restarts within 60 s.
        for round in 1...4 {
            try Self.waitForReadyHelpers(agent, round)
            let helper = try #require(agent.pid(of: "amphora-helper serve"))
            kill(helper, SIGKILL)
            for path in ["/1.0/details", "/1.0/info", "/1.0/listeners"] {
                let response = try agent.request("GET", path)
                #expect(response.status == 200, "round \(round) \(path): \(response.status) \(response.text)")
            }
            #expect(agent.pid(of: "amphora-helper serve") != helper)
        }
        #expect(agent.process?.isRunning == true)
        #expect(agent.log().components(separatedBy: "helper exited").count - 1 == 4)
    }

    @Test("AmphoraAPIClient1_0's sequence with the helper killed before every step: no call fails")
    func controllerSequenceRidesOutHelperRestarts() throws {
        let venv = try Shell.run("/bin/bash", [ConformanceTests.ensureVenv]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let amphoraNS = try TestNamespace()
        let client = try TestNamespace()
        let suffix = String(client.name.suffix(6))
        let vipMAC = ConformanceTests.mac(1)
        let memberMAC = ConformanceTests.mac(2)
        try client.addPort(rootName: "ca\(suffix)", rootMAC: vipMAC, peerName: "cb\(suffix)", peerAddress: "203.0.113.1/24")
        try client.addPort(rootName: "cm\(suffix)", rootMAC: memberMAC, peerName: "cn\(suffix)", peerAddress: "192.0.2.1/24")
        let agent = try AgentHarness(extraConfig: "netns = \(amphoraNS.name)")
        let basePath = try LVSListenerTests.relocateBasePath(agent)
        defer { try? FileManager.default.removeItem(atPath: basePath) }
        let heartbeatPort = try ConformanceTests.freeUDPPort()
        let config = try String(contentsOfFile: agent.configPath, encoding: .utf8)
        try config.replacingOccurrences(
            of: "heartbeat_key = insecure",
            with: "heartbeat_key = insecure\ncontroller_ip_port_list = 127.0.0.1:\(heartbeatPort)\nheartbeat_interval = 1"
        ).write(toFile: agent.configPath, atomically: true, encoding: .utf8)
        try agent.start()
        defer { agent.stop() }
        let agentPID = try #require(agent.agentPID)

        let run = try Shell.run(venv + "/bin/python", [
            ConformanceTests.driver, "--certdir", agent.pki, "--port", String(agent.port), "--amphora-id", AgentHarness.amphoraID,
            "--base-path", basePath, "--netns", amphoraNS.name, "--vip-mac", vipMAC, "--member-mac", memberMAC,
            "--agent-config", agent.configPath, "--heartbeat-port", String(heartbeatPort), "--heartbeat-key", "insecure",
            "--kill-helper-of", String(agentPID), "--agent-log", agent.logPath, "--json", agent.directory + "/restarts.json",
        ], check: false)
        let steps = run.stdout.split(separator: "\n").filter { $0.hasPrefix("STEP ") || $0.hasPrefix("SUMMARY ") }
        print(steps.joined(separator: "\n"))
        let failed = steps.filter { $0.hasPrefix("STEP ") && $0.split(separator: " ").dropFirst(2).first == "FAIL" }
        #expect(run.status == 0 && failed.isEmpty, "\(failed.joined(separator: "\n"))\n\(run.stderr.suffix(3000))")
        if !failed.isEmpty {
            // The restarts and the front's warnings, to tell a helper crash from a kill.
            print(agent.log().split(separator: "\n").filter {
                $0.contains("helper exited") || $0.contains("helper ready") || $0.contains("amphora-front") && $0.contains("warning")
                    || $0.contains("agent running") || $0.contains("error")
            }.suffix(80).joined(separator: "\n"))
        }
        let summary = try #require(steps.last { $0.hasPrefix("SUMMARY ") }, "the driver did not finish:\n\(run.stdout.suffix(2000))\n\(run.stderr.suffix(3000))")
        // Every step met a freshly killed helper, plus the kill during an upload.
        let stepCount = steps.filter { $0.hasPrefix("STEP ") }.count
        let kills = Int(summary.split(separator: ",").last?.split(separator: " ").first ?? "") ?? 0
        #expect(kills == stepCount + 1, "\(summary)")
        #expect(agent.log().components(separatedBy: "helper exited").count - 1 == kills)
        // No controller call was answered 503 (the heartbeat's own skipped beats are not calls).
        let answered503 = agent.log().split(separator: "\n").filter {
            ($0.contains("helper unavailable") || $0.contains("helper restarted during a command")) && !$0.contains("heartbeat skipped")
        }
        #expect(answered503.isEmpty, "\(answered503.joined(separator: "\n"))")
        #expect(agent.process?.isRunning == true, "the supervisor gave up:\n\(agent.log().suffix(3000))")
        #expect(!agent.log().contains("SIGSYS"), "a confined process was killed by its seccomp filter")
    }
}
