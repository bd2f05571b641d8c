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
        // The supervisor allows 20 restarts within 60 s.
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
        let driven = try OctaviaClientRun()
        defer { driven.stop() }
        let agent = driven.agent
        let agentPID = try #require(agent.agentPID)
        let outcome = try driven.drive([
            "--kill-helper-of", String(agentPID), "--agent-log", agent.logPath, "--json", agent.directory + "/restarts.json",
        ])
        let (run, steps, failed) = (outcome.run, outcome.steps, outcome.failed)
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
