import IPCProtocol
import ProgramLauncher
import Testing
@testable import Helper

/// A failed `ip`, `nft` or `systemctl` reaches the front as how it ended and its own error lines, never its raw output.
@Suite("tool failures: status and error lines only")
struct ToolFailureTests {
    static func result(exit: Int32? = 1, signal: Int32? = nil, stdout: String = "", stderr: String = "", refusal: String? = nil) -> LaunchResult {
        LaunchResult(
            id: 1, argv: ["ip"], exitCode: exit, signal: signal, timedOut: false, stdout: stdout, stderr: stderr, outputTruncated: false,
            durationMicroseconds: 1, refusal: refusal)
    }

    @Test("iproute2, nftables and systemctl error lines are kept; everything else is left out")
    func keepsErrorLines() {
        #expect(
            ToolFailure.summary(Self.result(exit: 2, stderr: "Error: Nexthop has invalid gateway.\n"), tool: "ip")
                == "ip exited with status 2: Error: Nexthop has invalid gateway.")
        #expect(
            ToolFailure.summary(Self.result(stderr: "RTNETLINK answers: File exists\n"), tool: "ip")
                == "ip exited with status 1: RTNETLINK answers: File exists")
        let nft = "/var/lib/octavia/nftables-vip.rules:3:9-14: Error: syntax error, unexpected junk\n  iif lo junk\n         ^^^^^^\n"
        #expect(
            ToolFailure.summary(Self.result(stderr: nft), tool: "nft")
                == "nft exited with status 1: /var/lib/octavia/nftables-vip.rules:3:9-14: Error: syntax error, unexpected junk")
        #expect(
            ToolFailure.summary(Self.result(stderr: "Job for haproxy-x.service failed because the control process exited with error code.\n"), tool: "systemctl")
                == "systemctl exited with status 1: Job for haproxy-x.service failed because the control process exited with error code.")
        #expect(
            ToolFailure.summary(Self.result(stderr: "Cannot find device \"eth9\"\n"), tool: "ip") == "ip exited with status 1: Cannot find device \"eth9\"")
        #expect(
            ToolFailure.summary(Self.result(stderr: "Job for haproxy@x.service canceled.\n"), tool: "systemctl")
                == "systemctl exited with status 1: Job for haproxy@x.service canceled.")
        // Anything else (the tool's listing, a stray secret, control bytes) does not reach the front.
        #expect(ToolFailure.summary(Self.result(stdout: "1: lo: <LOOPBACK>\nkey=s3cr3t\n"), tool: "ip") == "ip exited with status 1")
        #expect(ToolFailure.summary(Self.result(stderr: "Error: a\u{1B}[31mb\n"), tool: "ip") == "ip exited with status 1: Error: a?[31mb")
        let many = String(repeating: "Error: x\n", count: 10)
        #expect(ToolFailure.summary(Self.result(stderr: many), tool: "ip") == "ip exited with status 1: Error: x; Error: x; Error: x")
        let long = "Error: " + String(repeating: "y", count: 1000)
        #expect(ToolFailure.summary(Self.result(stderr: long), tool: "ip").utf8.count <= 330)
    }

    @Test("systemctl's answer to a reload between a haproxy crash and its restart still reaches the reload race's retry")
    func reloadRaceSurvives() throws {
        let unit = DaemonUnit.haproxy(try ResourceID(validating: "7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b"))
        for stderr in [
            "haproxy@7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b.service is not active, cannot reload.\n",
            "Failed to reload haproxy@7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b.service: Unit haproxy@7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b.service is not active, cannot reload.\n",
        ] {
            do {
                _ = try SystemdServiceManager.status(of: Self.result(stderr: stderr), .reload, unit)
                Issue.record("a failed reload was taken for a success")
            } catch {
                #expect(HAProxyInstances.isReloadRace(error), "\(error)")
            }
        }
    }

    @Test("a refusal, a timeout or a signal is said as such")
    func otherEnds() {
        #expect(ToolFailure.summary(Self.result(refusal: "argument refused by the launcher's grammar"), tool: "ip") == "argument refused by the launcher's grammar")
        #expect(ToolFailure.summary(Self.result(exit: nil, signal: 31), tool: "systemctl") == "systemctl was killed by signal 31")
        var timedOut = Self.result(exit: nil, signal: 9)
        timedOut.timedOut = true
        #expect(ToolFailure.summary(timedOut, tool: "nft") == "nft timed out")
    }
}
