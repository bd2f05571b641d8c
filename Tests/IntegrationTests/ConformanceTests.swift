import Foundation
import Testing

/// Octavia's own controller client (`AmphoraAPIClient1_0`, octavia==19.0.0 in the cached venv that
/// bench/run.sh shares) drives a running agent through a load balancer's create, update, failover
/// and delete (Tests/Conformance/drive_octavia_client.py). The VIP and member ports are veth pairs
/// with chosen MACs whose peers sit in a client namespace; the amphora namespace is the test's own.
/// A second run drives a fresh agent as the controller's failover flow drives the new amphora.
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

    /// Runs the driver's `sequence` against a fresh agent in a namespace of its own, with a VIP and a
    /// member port; checks that every step passed and that no confined process was killed. `inspect`
    /// looks at what the calls left in the amphora namespace before the agent stops.
    func drive(_ sequence: String, inspect: (TestNamespace) throws -> Void = { _ in }) throws {
        let driven = try OctaviaClientRun()
        defer { driven.stop() }
        let agent = driven.agent
        let outcome = try driven.drive(["--sequence", sequence, "--json", agent.directory + "/conformance-\(sequence).json"])
        let failed = outcome.failed
        #expect(outcome.run.status == 0 && failed.isEmpty, "\(failed.joined(separator: "\n"))\n\(outcome.run.stderr.suffix(3000))")
        #expect(
            outcome.steps.contains { $0.hasPrefix("SUMMARY ") },
            "the driver did not finish:\n\(outcome.run.stdout.suffix(2000))\n\(outcome.run.stderr.suffix(3000))")
        if !failed.isEmpty {
            // The agent's own account: helper restarts, daemon starts and errors.
            print(agent.log().split(separator: "\n").filter {
                $0.contains("helper") || $0.contains("error") || $0.contains("warning") || $0.contains("started") || $0.contains("exited")
            }.suffix(60).joined(separator: "\n"))
        }
        try inspect(driven.amphoraNS)
        #expect(!agent.log().contains("SIGSYS"), "a confined process was killed by its seccomp filter")
    }

    @Test("AmphoraAPIClient1_0: the §7 sequence, member subnets, the 50x200 configuration, every call as the controller expects it")
    func octaviaClient() throws {
        try drive("create") { amphoraNS in
            // What the client's calls left in the kernel: the interface rules' table in the amphora namespace.
            let ruleset = try amphoraNS.run(["/usr/sbin/nft", "list", "table", "inet", "amphora_table"], check: false)
            #expect(ruleset.stdout.contains("goto amphora_vip_chain"), "\(ruleset.stdout)\(ruleset.stderr)")
        }
    }

    @Test("AmphoraAPIClient1_0: the failover flow's calls to a new amphora (ACTIVE_STANDBY, joining as BACKUP)")
    func failoverAmphora() throws {
        try drive("failover")
    }
}
