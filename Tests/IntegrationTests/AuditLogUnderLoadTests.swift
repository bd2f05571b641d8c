import Foundation
import Synchronization
import Testing

/// The real agent's audit log rotating under concurrent requests, with the helper killed (SIGKILL)
/// in the middle: the supervisor restarts it, and the set still verifies with the exported seed.
@Suite("Audit log under load", .serialized, .timeLimit(.minutes(5)))
struct AuditLogUnderLoadTests {
    @Test("rotation under concurrent requests with the helper killed: every acknowledged change recorded, the set verifies")
    func killedUnderLoad() throws {
        let agent = try AgentHarness.started(extraConfig: """
            audit_log_max_bytes = 65536
            audit_log_keep = 1000
            audit_seal_epoch_records = 50
            """)
        let material = try CertificateTests.Material.make(in: agent)
        let bundle = Data((try material.text("rsa.crt") + material.text("rsa.key")).utf8)
        let lb = UUID().uuidString.lowercased()
        let firstHelper = try #require(agent.pid(of: "amphora-helper serve"))
        let acknowledged = AcknowledgedNames()
        let killed = Atomic<Bool>(false)
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for i in 0..<90 {
                let name = "w\(worker)-\(i).pem"
                if let response = try? agent.request("PUT", "/1.0/loadbalancer/\(lb)/certificates/\(name)", body: bundle),
                    response.status == 200
                {
                    acknowledged.append(name)
                }
                if worker == 0, i == 30, !killed.exchange(true, ordering: .relaxed) { kill(firstHelper, SIGKILL) }
            }
        }
        let wasKilled = killed.load(ordering: .relaxed)
        #expect(wasKilled)
        #expect(waitUntil(30) { agent.pid(of: "amphora-helper serve").map { $0 != firstHelper } ?? false }, "the helper was not restarted")
        #expect(waitUntil(30) { (try? agent.request("GET", "/1.0/info").status) == 200 })
        #expect(agent.stop() == 0)

        let directory = agent.directory + "/audit"
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(names.filter { $0.hasPrefix("audit.jsonl.0") }.count >= 2, "\(names)")
        let helper = AgentHarness.binDirectory + "/amphora-helper"
        let verified = try Shell.run(helper, ["audit-verify", "--key", agent.auditLog + ".seed", directory], check: false)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.contains("seals verified"))

        // Every upload the agent acknowledged has its file change recorded as done. Twice at most, and
        // only for an upload in flight at the kill: the old helper wrote the file and died before it
        // answered, and the front sent the upload again (`isSafeToResend`), so both writes happened.
        let shown = try Shell.run(helper, ["audit-show", "--json", directory], check: false)
        let lines = shown.stdout.split(separator: "\n").map(String.init)
        let names200 = acknowledged.all
        #expect(names200.count > 100)
        var writtenTwice: [String] = []
        for name in names200 {
            let stored = lines.filter {
                $0.contains(#""event":"file-outcome""#) && $0.contains(#""action":"write""#) && $0.contains("/\(lb)/\(name)\"")
                    && $0.contains(#""result":"done""#)
            }
            #expect((1...2).contains(stored.count), "\(name): \(stored.count) records\n\(stored.joined(separator: "\n"))")
            if stored.count == 2 { writtenTwice.append(name) }
        }
        #expect(writtenTwice.count <= 4, "more uploads written twice than were in flight at the kill: \(writtenTwice)")
        #expect(lines.filter { $0.contains(#""event":"helper-start""#) }.count == 2)
    }
}

/// Names acknowledged by the agent, appended from several threads (an NSLock, which
/// ThreadSanitizer sees, unlike `Synchronization.Mutex`).
final class AcknowledgedNames: @unchecked Sendable {
    private let lock = NSLock()
    private var names: [String] = []
    func append(_ name: String) { lock.withLock { names.append(name) } }
    var all: [String] { lock.withLock { names } }
}
