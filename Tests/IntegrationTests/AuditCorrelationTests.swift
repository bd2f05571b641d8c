import Crypto
import Foundation
import Testing

/// The audit log through the real agent and mutual TLS: the controller's `X-Openstack-Request-Id`
/// comes back on every answer and is on every record of the commands it caused, with the method,
/// path and client certificate; each file change is an intent record before it happens.
@Suite("Audit correlation", .serialized, .timeLimit(.minutes(3)))
struct AuditCorrelationTests {
    /// The audit log's records, parsed, in order.
    static func records(_ agent: AgentHarness) throws -> [[String: Any]] {
        try String(contentsOfFile: agent.auditLog, encoding: .utf8).split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// SHA-256 (hex) of the DER of the first certificate in a PEM file.
    static func fingerprint(ofPEM path: String) throws -> String {
        let pem = try String(contentsOfFile: path, encoding: .utf8)
        let body = pem.components(separatedBy: "-----BEGIN CERTIFICATE-----")[1].components(separatedBy: "-----END CERTIFICATE-----")[0]
        let der = try #require(Data(base64Encoded: body.filter { !$0.isWhitespace }))
        return SHA256.hash(data: der).map { String(format: "%02x", $0) }.joined()
    }

    static func sha256(ofFile path: String) throws -> String {
        SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: path))).map { String(format: "%02x", $0) }.joined()
    }

    static func isRequestID(_ text: String?) -> Bool {
        guard let text, text.hasPrefix("req-"), let uuid = UUID(uuidString: String(text.dropFirst(4))) else { return false }
        return uuid.uuidString.lowercased() == String(text.dropFirst(4))
    }

    @Test("an upload's request id comes back and is on its records with method, path and client certificate; intents precede changes")
    func uploadIsCorrelated() throws {
        let agent = try AgentHarness.started()
        defer { agent.stop() }
        let requestID = "req-" + UUID().uuidString.lowercased()
        let lb = UUID().uuidString.lowercased()
        let path = "/1.0/loadbalancer/\(AgentHarness.amphoraID)/\(lb)/haproxy"
        let config = "global\n    maxconn 16\ndefaults\n    retries 3\nfrontend \(lb)\n    bind 127.0.0.1:9\n    mode tcp\n    timeout client 1s\n"
        let upload = try agent.request("PUT", path, body: Data(config.utf8), extraCurlArguments: ["-H", "X-Openstack-Request-Id: \(requestID)"])
        #expect(upload.status == 202 || upload.status == 201, "\(upload.text)")
        #expect(upload.headers["x-openstack-request-id"] == requestID)

        let all = try Self.records(agent)
        let mine = all.enumerated().filter { $0.element["request_id"] as? String == requestID }
        #expect(!mine.isEmpty)
        let fingerprint = try Self.fingerprint(ofPEM: agent.pki + "/client.crt")
        for (_, record) in mine {
            #expect(record["origin"] as? String == "controller")
            #expect(record["http_method"] as? String == "PUT")
            #expect(record["http_path"] as? String == path)
            #expect(record["client_sha256"] as? String == fingerprint)
            #expect((record["client_subject"] as? String)?.contains("CN=") == true)
        }
        // The check's and the promotion's intents, announced with the candidate's (one fsync for all
        // three), the candidate's intent and outcome, the check's outcome, then the promotion's outcome.
        func index(_ event: String, action: String? = nil, pathSuffix: String) -> Int? {
            mine.first {
                $0.element["event"] as? String == event && (action == nil || $0.element["action"] as? String == action)
                    && ($0.element["path"] as? String)?.hasSuffix(pathSuffix) == true
            }?.offset
        }
        let writeIntent = try #require(index("file-intent", action: "write", pathSuffix: "/haproxy.cfg.new"))
        let writeOutcome = try #require(index("file-outcome", action: "write", pathSuffix: "/haproxy.cfg.new"))
        let check = try #require(mine.first { $0.element["event"] as? String == "exec-intent" && $0.element["operation"] as? String == "haproxy-check" }?.offset)
        let checkOutcome = try #require(mine.first { $0.element["event"] as? String == "exec-outcome" && $0.element["operation"] as? String == "haproxy-check" }?.offset)
        let promoteIntent = try #require(index("file-intent", action: "rename", pathSuffix: "/haproxy.cfg"))
        let promoteOutcome = try #require(index("file-outcome", action: "rename", pathSuffix: "/haproxy.cfg"))
        // Adjacent among this request's records (others may come between in the log).
        let position = { (offset: Int) in mine.firstIndex { $0.offset == offset } }
        #expect(position(check).map { $0 + 1 } == position(promoteIntent))
        #expect(position(promoteIntent).map { $0 + 1 } == position(writeIntent))
        #expect(writeIntent < writeOutcome && writeOutcome < checkOutcome && checkOutcome < promoteOutcome)
        #expect(all[check]["announced"] as? Bool == true)
        #expect(all[promoteIntent]["announced"] as? Bool == true)
        // The intent names the content by its digest: the stored file's, and never the text itself.
        let stored = try #require(all[promoteIntent]["path"] as? String)
        #expect(all[writeIntent]["sha256"] as? String == (try Self.sha256(ofFile: stored)))
        let text = try String(contentsOfFile: agent.auditLog, encoding: .utf8)
        #expect(!text.contains("maxconn 16"))
    }

    @Test("a reload of a running haproxy: its intent announced with the server state's (one fsync for both), then the write, then the reload")
    func reloadIsAnnounced() throws {
        let netns = try TestNamespace()
        let agent = try AgentHarness(extraConfig: "netns = \(netns.name)")
        try agent.start()
        defer { agent.stop() }
        let lb = try HAProxyLifecycleTests.deployLoadBalancer(agent, "reload").lb
        let requestID = "req-" + UUID().uuidString.lowercased()
        let reload = try agent.request("PUT", "/1.0/loadbalancer/\(lb)/reload", extraCurlArguments: ["-H", "X-Openstack-Request-Id: \(requestID)"])
        #expect(reload.status == 202, "\(reload.text)")
        #expect((reload.object["details"] as? String)?.contains("reloaded") == true)

        let mine = try Self.records(agent).filter { $0["request_id"] as? String == requestID }
        let trail = mine.compactMap { record -> String? in
            guard let event = record["event"] as? String, event.hasPrefix("daemon-") || event.hasPrefix("file-") else { return nil }
            let what = (record["operation"] as? String) ?? ((record["path"] as? String).map { String($0.split(separator: "/").last ?? "") } ?? "")
            return "\(event) \(what)" + (record["announced"] as? Bool == true ? " announced" : "")
        }
        #expect(trail == [
            "daemon-intent reload announced", "file-intent servers-state", "file-outcome servers-state", "daemon-outcome reload",
        ])
        let outcome = try #require(mine.last)
        #expect(outcome["running"] as? Bool == true)
        #expect(outcome["error"] == nil)
    }

    @Test("every answer carries a request id; a malformed or hostile one is replaced, never echoed")
    func everyAnswerHasAnID() throws {
        let agent = try AgentHarness.started()
        defer { agent.stop() }
        let plain = try agent.request("GET", "/")
        #expect(Self.isRequestID(plain.headers["x-openstack-request-id"]))
        let missing = try agent.request("GET", "/1.0/loadbalancer/\(UUID().uuidString.lowercased())/haproxy")
        #expect(missing.status == 404)
        #expect(Self.isRequestID(missing.headers["x-openstack-request-id"]))
        for hostile in ["req-not-a-uuid", "REQ-" + UUID().uuidString, "<script>alert(1)</script>", "req-\(UUID().uuidString.lowercased())x"] {
            let answer = try agent.request("GET", "/", extraCurlArguments: ["-H", "X-Openstack-Request-Id: \(hostile)"])
            let id = answer.headers["x-openstack-request-id"]
            #expect(Self.isRequestID(id))
            #expect(id != hostile)
        }
        let refused = try agent.request(
            "PUT", "/1.0/loadbalancer/\(AgentHarness.amphoraID)/\(UUID().uuidString.lowercased())/haproxy", body: Data("global\n".utf8),
            extraCurlArguments: ["-H", "X-Openstack-Request-Id: req-\(UUID().uuidString.lowercased())", "-H", "Content-Length: 999999999"])
        #expect(refused.status == 400)
        #expect(Self.isRequestID(refused.headers["x-openstack-request-id"]))
    }
}
