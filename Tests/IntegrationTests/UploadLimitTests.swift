import Crypto
import Foundation
import IPCProtocol
import Testing

/// Issue 16, "Statuses the controller acts on": the upload limit admits the largest configuration
/// Octavia renders (docs/limits.md), and past it the answer is one the controller raises (400, JSON),
/// at once when `Content-Length` says so, never 413 (which Octavia's client takes for success).
@Suite("Upload limits the controller acts on", .serialized, .timeLimit(.minutes(20)))
struct UploadLimitTests {
    static let renderer = AgentHarness.repositoryRoot.path + "/Tests/Conformance/render_large_octavia_haproxy.py"

    static func md5(_ data: Data) -> String { Insecure.MD5.hash(data: data).map { String(format: "%02x", $0) }.joined() }

    /// A refusal as the controller must see it: 400, JSON, upstream's "Invalid request" shape.
    static func expectRefusal(_ response: AgentHarness.Response, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == 400, "\(context): \(response.status) \(response.text)", sourceLocation: sourceLocation)
        #expect(response.headers["content-type"] == "application/json", "\(context)", sourceLocation: sourceLocation)
        #expect(response.object["message"] as? String == "Invalid request", "\(context): \(response.text)", sourceLocation: sourceLocation)
    }

    @Test("Octavia's 50 x 200 renderings, plain and with every option at its longest, upload over mutual TLS and pass haproxy -c")
    func largestRenderingsAreAcceptedAndChecked() throws {
        let agent = try AgentHarness.started()
        defer { agent.stop() }
        let profiles: [(String, [String])] = [
            ("plain", ["--profile", "plain", "--connection-limit", "100"]),
            ("longest", ["--profile", "longest", "--ciphers", "2048", "--connection-limit", "100", "--write-certs"]),
        ]
        var sizes: [String] = []
        for (name, options) in profiles {
            let lb = HAProxyLifecycleTests.uuid()
            let file = agent.directory + "/\(name).cfg"
            let render = try HAProxyRenderer.run(Self.renderer, lb: lb, for: agent, ["--listeners", "50", "--members", "200"] + options + [file])
            try #require(render.status == 0, "\(render.stderr)")
            let text = try Data(contentsOf: URL(fileURLWithPath: file))
            sizes.append("\(name) \(text.count) bytes")
            if name == "longest" { #expect(text.count > 20 << 20, "the longest rendering is \(text.count) bytes") }
            #expect(text.count <= UploadLimits.maximumBodySize)
            let checks = HAProxyPolicyConformanceTests.checkRecords(agent, lb)
            let upload = try agent.request(
                "PUT", "/1.0/loadbalancer/\(AgentHarness.amphoraID)/\(lb)/haproxy", body: text, extraCurlArguments: ["--max-time", "900"])
            #expect(upload.status == 202, "\(name): \(upload.status) \(upload.text.prefix(2000))")
            if upload.status != 202 {
                let audit = (try? String(contentsOfFile: agent.auditLog, encoding: .utf8)) ?? ""
                print("agent log:\n\(agent.log().suffix(6000))\naudit:\n\(audit.suffix(3000))")
            }
            #expect(upload.headers["etag"] == Self.md5(text), "\(name)")
            #expect(HAProxyPolicyConformanceTests.checkRecords(agent, lb) > checks, "\(name): no haproxy -c ran")
            // The stored file comes back whole through the helper's reply frame.
            let stored = try agent.request("GET", "/1.0/loadbalancer/\(lb)/haproxy", extraCurlArguments: ["--max-time", "300"])
            #expect(stored.status == 200, "\(name): \(stored.text.prefix(500))")
            #expect(stored.text.components(separatedBy: "\n    server ").count - 1 == 50 * 200, "\(name)")
            #expect(try agent.request("DELETE", "/1.0/listeners/\(lb)").status == 200)
        }
        print(sizes.joined(separator: ", "))
    }

    @Test("past the limit: 400 JSON, nothing stored, whether the length is declared, chunked or only the helper's cap is passed")
    func pastTheLimitIsRefusedWithAStatusTheControllerRaises() throws {
        let agent = try AgentHarness.started()
        defer { agent.stop() }
        let lb = HAProxyLifecycleTests.uuid()
        let path = "/1.0/loadbalancer/\(AgentHarness.amphoraID)/\(lb)/haproxy"
        let over = Data(repeating: UInt8(ascii: "#"), count: UploadLimits.maximumBodySize + 1)
        Self.expectRefusal(try agent.request("PUT", path, body: over, extraCurlArguments: ["--max-time", "300"]), "declared")
        Self.expectRefusal(
            try agent.request("PUT", path, body: over, extraCurlArguments: ["--max-time", "300", "-H", "Transfer-Encoding: chunked"]),
            "chunked")
        #expect(!FileManager.default.fileExists(atPath: "\(agent.directory)/base/\(lb)/haproxy.cfg"))
        // At the limit exactly, the body is read and judged on its content (a comment-only file has no
        // sections: refused by haproxy's check or the policy, but not for its size).
        let atLimit = try agent.request(
            "PUT", path, body: Data(repeating: UInt8(ascii: "#"), count: UploadLimits.maximumBodySize), extraCurlArguments: ["--max-time", "300"])
        #expect(!(atLimit.text.contains("exceeds the agent's limit")), "\(atLimit.text)")
        // The helper's own, smaller cap on certificates answers 400 as well (it was 413).
        let certificate = try agent.request(
            "PUT", "/1.0/loadbalancer/\(lb)/certificates/big.pem", body: Data(repeating: UInt8(ascii: "A"), count: 600 * 1024))
        #expect(certificate.status == 400, "\(certificate.status) \(certificate.text)")
        #expect(certificate.headers["content-type"] == "application/json")
        // The agent still serves.
        #expect(try agent.request("GET", "/").status == 200)
    }

    @Test("a Content-Length over the limit is answered before any body byte, in order after a pipelined request")
    func declaredLengthOverTheLimitIsAnsweredAtOnce() throws {
        let agent = try AgentHarness.started()
        defer { agent.stop() }
        let lb = HAProxyLifecycleTests.uuid()
        // The socket timeout only keeps a broken server from hanging the test: a server that waits
        // for the body never answers, and the script prints "timeout" instead of a status.
        let script = """
            import json, socket, ssl, sys
            port, amp, pki, lb, declared = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
            ctx = ssl.create_default_context(cafile=pki + "/ca.pem")
            ctx.load_cert_chain(pki + "/client.crt", pki + "/client.key")
            def connect():
                raw = socket.create_connection(("127.0.0.1", port), timeout=60)
                return ctx.wrap_socket(raw, server_hostname=amp)
            def response(s, buffered):
                data = buffered
                while b"\\r\\n\\r\\n" not in data:
                    chunk = s.recv(65536)
                    if not chunk: raise ConnectionError("closed before the head")
                    data += chunk
                head, rest = data.split(b"\\r\\n\\r\\n", 1)
                lines = head.decode().split("\\r\\n")
                headers = {k.lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:])}
                length = int(headers.get("content-length", "0"))
                while len(rest) < length:
                    chunk = s.recv(65536)
                    if not chunk: raise ConnectionError("closed inside the body")
                    rest += chunk
                return int(lines[0].split()[1]), headers, rest[:length], rest[length:]
            put = (f"PUT /1.0/loadbalancer/{amp}/{lb}/haproxy HTTP/1.1\\r\\nHost: {amp}\\r\\n"
                   f"Content-Type: text/plain\\r\\nContent-Length: {declared}\\r\\n\\r\\n").encode()
            s = connect()
            s.sendall(put)  # the head only: no body byte is ever sent
            try:
                status, headers, body, _ = response(s, b"")
                print("headers-only", status, headers.get("content-type"), headers.get("connection"), json.loads(body)["message"])
            except socket.timeout:
                print("headers-only timeout")
            s.close()
            s = connect()
            s.sendall(f"GET /1.0/info HTTP/1.1\\r\\nHost: {amp}\\r\\n\\r\\n".encode() + put)
            try:
                first, _, _, rest = response(s, b"")
                second, headers, body, _ = response(s, rest)
                print("pipelined", first, second, headers.get("content-type"))
            except socket.timeout:
                print("pipelined timeout")
            s.close()
            """
        let lines = try FrontHardeningTests.python(
            script, [String(agent.port), AgentHarness.amphoraID, agent.pki, lb, String(UploadLimits.maximumBodySize + 1)])
        #expect(lines.contains("headers-only 400 application/json close Invalid request"), "\(lines)")
        #expect(lines.contains("pipelined 200 400 application/json"), "\(lines)")
        #expect(!FileManager.default.fileExists(atPath: "\(agent.directory)/base/\(lb)/haproxy.cfg"))
        #expect(try agent.request("GET", "/").status == 200)
    }
}
