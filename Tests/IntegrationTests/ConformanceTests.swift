import Foundation
import Testing

/// Octavia's own controller client (`AmphoraAPIClient1_0`, octavia==19.0.0 in the cached venv that
/// bench/run.sh shares) drives a running agent through a load balancer's create, update, failover
/// and delete (Tests/Conformance/drive_octavia_client.py). The VIP and member ports are veth pairs
/// with chosen MACs whose peers sit in a client namespace; the amphora namespace is the test's own.
@Suite("Conformance with Octavia's client", .serialized, .timeLimit(.minutes(10)))
struct ConformanceTests {
    static let driver = AgentHarness.repositoryRoot.path + "/Tests/Conformance/drive_octavia_client.py"
    static let ensureVenv = AgentHarness.repositoryRoot.path + "/Tests/Conformance/ensure-venv.sh"

    static func mac(_ last: Int) -> String {
        "02:a7:" + (0..<3).map { _ in String(format: "%02x", Int.random(in: 0...255)) }.joined(separator: ":") + String(format: ":%02x", last)
    }

    /// A free UDP port on loopback (for the heartbeat receiver).
    static func freeUDPPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { throw HarnessError("bind") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test("AmphoraAPIClient1_0: the §7 sequence, every call as the controller expects it")
    func octaviaClient() throws {
        let driven = try OctaviaClientRun()
        defer { driven.stop() }
        let (agent, amphoraNS) = (driven.agent, driven.amphoraNS)
        let outcome = try driven.drive(["--json", agent.directory + "/conformance.json"])
        let failed = outcome.failed
        #expect(outcome.run.status == 0 && failed.isEmpty, "\(failed.joined(separator: "\n"))\n\(outcome.run.stderr.suffix(3000))")
        #expect(
            outcome.steps.contains { $0.hasPrefix("SUMMARY ") },
            "the driver did not finish:\n\(outcome.run.stdout.suffix(2000))\n\(outcome.run.stderr.suffix(3000))")

        // What the client's calls left in the kernel: the interface rules' table in the amphora namespace.
        let ruleset = try amphoraNS.run(["/usr/sbin/nft", "list", "table", "inet", "amphora_table"], check: false)
        #expect(ruleset.stdout.contains("goto amphora_vip_chain"), "\(ruleset.stdout)\(ruleset.stderr)")
        #expect(!agent.log().contains("SIGSYS"), "a confined process was killed by its seccomp filter")
    }
}
