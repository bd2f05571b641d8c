import Foundation
import Testing

/// The front's helper client against the real helper: a command that takes its id long before it
/// is sent (a large upload takes seconds to encode) is overtaken by later commands, which leave
/// their connections in the pool; the helper closes a connection whose ids do not increase, so the
/// upload must not be sent on one of those. Before the fix a CI run saw `503 Helper restarted` for
/// 30 MiB uploads (audit: "request id 10 is not greater than 11").
@Suite("Helper command order")
struct HelperCommandOrderTests {
    @Test("a large upload overtaken by other commands on pooled connections gets its answer")
    func largeUploadOvertaken() throws {
        let agent = try AgentHarness()
        defer { agent.stop() }
        try agent.start()
        let lb = UUID().uuidString.lowercased()
        var text = Data(HAProxyLifecycleTests.config(listener: lb, pool: "pool-\(lb.prefix(8))", member: "member-\(lb.prefix(8))").utf8)
        let line = Array("# xxxxxxxxxxxxx\n".utf8)
        while text.count + line.count <= 24 << 20 { text.append(contentsOf: line) }
        let upload = LockedResult()
        let done = DispatchSemaphore(value: 0)
        let body = text
        DispatchQueue.global().async {
            upload.set(Result {
                try agent.request(
                    "PUT", "/1.0/loadbalancer/\(AgentHarness.amphoraID)/\(lb)/haproxy", body: body, extraCurlArguments: ["--max-time", "900"])
            })
            done.signal()
        }
        // Other commands while the upload is read, encoded and checked: each takes a later id and
        // returns its connection to the pool.
        var overtaking = 0
        while done.wait(timeout: .now()) == .timedOut {
            #expect(try agent.request("GET", "/1.0/listeners").status == 200)
            overtaking += 1
        }
        let response = try #require(try upload.get())
        #expect(response.status == 202, "\(response.text.prefix(600))")
        #expect(overtaking > 0, "no command ran while the upload was under way")
        print("HELPER ORDER: \(overtaking) listener queries during the upload")
        let audit = (try? String(contentsOfFile: agent.auditLog, encoding: .utf8)) ?? ""
        let refused = audit.split(separator: "\n").filter { $0.contains("\"bad-frame\"") }
        #expect(refused.isEmpty, "the helper refused frames from the front: \(refused)")
    }
}

/// A result handed from the uploading thread to the test.
final class LockedResult: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<AgentHarness.Response, any Error>?

    func set(_ value: Result<AgentHarness.Response, any Error>) { lock.withLock { result = value } }

    func get() throws -> AgentHarness.Response? { try lock.withLock { result }?.get() }
}
