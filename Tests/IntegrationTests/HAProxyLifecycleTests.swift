import Crypto
import Foundation
import Testing

/// haproxy instances through both API versions, with real haproxy in a namespace the test creates.
@Suite("haproxy lifecycle", .serialized, .timeLimit(.minutes(3)))
struct HAProxyLifecycleTests {
    static let amphora = AgentHarness.amphoraID

    /// Uploads ``config(listener:pool:member:frontendPort:backendPort:marker:)`` for a new load balancer
    /// and starts it with `action` ("start" or "reload"); both calls are accepted (202).
    @discardableResult
    static func deployLoadBalancer(_ agent: AgentHarness, _ action: String) throws -> (lb: String, pool: String, member: String) {
        let lb = uuid(), pool = uuid(), member = uuid()
        let upload = try agent.request(
            "PUT", "/1.0/loadbalancer/\(AgentHarness.amphoraID)/\(lb)/haproxy", body: Data(config(listener: lb, pool: pool, member: member).utf8))
        #expect(upload.status == 202, "\(upload.text)")
        #expect(try agent.request("PUT", "/1.0/loadbalancer/\(lb)/\(action)").status == 202)
        return (lb, pool, member)
    }

    static func config(listener: String, pool: String, member: String, frontendPort: Int = 8080, backendPort: Int = 8081, marker: String = "v1")
        -> String
    {
        """
        # \(marker)
        global
            maxconn 256
        defaults
            retries 3
        frontend \(listener)
            bind 127.0.0.1:\(frontendPort)
            mode http
            http-response set-header Strict-Transport-Security "max-age=\(hstsAge(marker));"
            default_backend \(pool)
            timeout client 10s
        backend \(pool)
            mode http
            timeout connect 2s
            timeout server 10s
            option httpchk GET /
            server \(member) 127.0.0.1:\(backendPort) check inter 300 fall 2 rise 1

        """
    }

    /// The marker as the response header shows it (Octavia's templates render no free-form headers;
    /// the HSTS max-age is the one value a client sees): v1 → 1, v2 → 2, upload-N → 100+N.
    static func hstsAge(_ marker: String) -> Int {
        if marker.hasPrefix("upload-"), let n = Int(marker.dropFirst("upload-".count)) { return 100 + n }
        return Int(marker.dropFirst()) ?? 0
    }

    static func md5(_ text: String) -> String { Insecure.MD5.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined() }

    static func uuid() -> String { UUID().uuidString.lowercased() }

    func startAgent() throws -> (AgentHarness, TestNamespace) {
        let netns = try TestNamespace()
        let agent = try AgentHarness(extraConfig: "netns = \(netns.name)")
        try agent.start()
        return (agent, netns)
    }

    @Test("1.0: upload, reload starts it, traffic reaches the backend, status follows the member")
    func uploadStartTrafficStatus() throws {
        let (agent, netns) = try startAgent()
        defer { agent.stop() }
        let backend = try netns.startBackend(port: 8081, body: "hello from member")
        let lb = Self.uuid(), pool = Self.uuid(), member = Self.uuid()
        let text = Self.config(listener: lb, pool: pool, member: member)

        let upload = try agent.request("PUT", "/1.0/loadbalancer/\(Self.amphora)/\(lb)/haproxy", body: Data(text.utf8))
        #expect(upload.status == 202, "\(upload.text)")
        #expect(upload.headers["etag"] == Self.md5(text))
        #expect(upload.object["message"] as? String == "OK")

        let stored = try agent.request("GET", "/1.0/loadbalancer/\(lb)/haproxy")
        #expect(stored.status == 200)
        #expect(stored.text.contains("frontend \(lb)"))
        #expect(stored.text.contains("stats socket \(agent.directory)/base/\(lb).sock"))
        #expect(stored.headers["etag"] == Self.md5(stored.text))
        let mode = try FileManager.default.attributesOfItem(atPath: "\(agent.directory)/base/\(lb)/haproxy.cfg")[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let reload = try agent.request("PUT", "/1.0/loadbalancer/\(lb)/reload")
        #expect(reload.status == 202, "\(reload.text)")
        #expect((reload.object["details"] as? String)?.contains("started") == true)

        #expect(waitUntil { netns.get("http://127.0.0.1:8080/") == "hello from member" })

        let listeners = try agent.request("GET", "/1.0/listeners")
        let entries = try #require(listeners.json as? [[String: Any]])
        #expect(entries.count == 1)
        #expect(entries.first?["uuid"] as? String == lb)
        #expect(entries.first?["type"] as? String == "HTTP")
        #expect(entries.first?["status"] as? String == "ACTIVE")

        func memberStatus() -> String? {
            guard let status = try? agent.request("GET", "/v0.1/listeners/\(lb)"),
                let pools = status.object["pools"] as? [[String: Any]], let first = pools.first,
                let members = first["members"] as? [[String: String]]
            else { return nil }
            return members.first?[member]
        }
        #expect(waitUntil { memberStatus() == "UP" })
        let status = try agent.request("GET", "/v0.1/listeners/\(lb)")
        #expect(status.object["status"] as? String == "ACTIVE")
        #expect(status.object["type"] as? String == "HTTP")
        #expect((status.object["pools"] as? [[String: Any]])?.first?["uuid"] as? String == pool)
        #expect((status.object["pools"] as? [[String: Any]])?.first?["status"] as? String == "UP")

        netns.stop(backend)
        #expect(waitUntil { memberStatus() == "DOWN" })
    }

    @Test("a certificate deleted after its configuration was checked: the reload checks again, is refused, and haproxy keeps serving")
    func certificateChangeIsCheckedAtReload() throws {
        let (agent, netns) = try startAgent()
        defer { agent.stop() }
        let backend = try netns.startBackend(port: 8081, body: "hello over tls")
        defer { netns.stop(backend) }
        let lb = Self.uuid(), pool = Self.uuid(), member = Self.uuid()
        let material = agent.directory + "/tls"
        try FileManager.default.createDirectory(atPath: material, withIntermediateDirectories: true)
        try Shell.run("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", material + "/key.pem",
            "-out", material + "/cert.pem", "-subj", "/CN=lb.example.com", "-days", "2",
        ])
        let bundle = try String(contentsOfFile: material + "/cert.pem", encoding: .utf8) + String(contentsOfFile: material + "/key.pem", encoding: .utf8)
        let certificates = "/1.0/loadbalancer/\(lb)/certificates/"
        let crtList = "\(agent.certificateDirectory)/\(lb)/\(lb).pem"
        #expect(try agent.request("PUT", certificates + "tls.pem", body: Data(bundle.utf8)).status == 200)
        #expect(try agent.request("PUT", certificates + "\(lb).pem", body: Data("\(agent.certificateDirectory)/\(lb)/tls.pem\n".utf8)).status == 200)
        let text = Self.config(listener: lb, pool: pool, member: member)
            .replacingOccurrences(of: "bind 127.0.0.1:8080", with: "bind 127.0.0.1:8443 ssl crt-list \(crtList)")
        #expect(try agent.request("PUT", "/1.0/loadbalancer/\(Self.amphora)/\(lb)/haproxy", body: Data(text.utf8)).status == 202)
        #expect(try agent.request("PUT", "/1.0/loadbalancer/\(lb)/reload").status == 202)
        func served() -> Bool {
            let r = try? netns.run(["/usr/bin/curl", "-s", "-k", "--max-time", "3", "https://127.0.0.1:8443/"], check: false)
            return r?.stdout == "hello over tls"
        }
        #expect(waitUntil { served() })

        // The bundle the crt-list names goes: the stored configuration passed its check, but no longer would.
        #expect(try agent.request("DELETE", certificates + "tls.pem").status == 200)
        let reload = try agent.request("PUT", "/1.0/loadbalancer/\(lb)/reload")
        #expect(reload.status == 500, "\(reload.text)")
        #expect(reload.headers["content-type"] == "application/json")
        #expect(reload.object["message"] as? String == "Error reloading haproxy")
        #expect(served())

        // Back again: the reload checks, passes and goes ahead.
        #expect(try agent.request("PUT", certificates + "tls.pem", body: Data(bundle.utf8)).status == 200)
        #expect(try agent.request("PUT", "/1.0/loadbalancer/\(lb)/reload").status == 202)
        #expect(waitUntil { served() })
    }

    @Test("reload with a changed config while a client loops: no failed request")
    func reloadWithoutDroppingRequests() throws {
        let (agent, netns) = try startAgent()
        defer { agent.stop() }
        try netns.startBackend(port: 8081, body: "ok")
        let (lb, pool, member) = try Self.deployLoadBalancer(agent, "reload")
        #expect(waitUntil { netns.get("http://127.0.0.1:8080/") == "ok" })

        // A client inside the namespace: new connection per request, for 4 seconds, counting failures.
        let loop = """
            import time, urllib.request
            ok = bad = 0
            seen = set()
            end = time.time() + 4
            while time.time() < end:
                try:
                    r = urllib.request.urlopen("http://127.0.0.1:8080/", timeout=3)
                    r.read(); seen.add(r.headers.get("Strict-Transport-Security")); ok += 1
                except Exception as e:
                    bad += 1
            print(ok, bad, ",".join(sorted(x for x in seen if x)))
            """
        let client = Process()
        client.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        client.arguments = ["netns", "exec", netns.name, "/usr/bin/python3", "-c", loop]
        let out = Pipe()
        client.standardOutput = out
        try client.run()
        Thread.sleep(forTimeInterval: 1)
        let changed = Self.config(listener: lb, pool: pool, member: member, marker: "v2")
        #expect(try agent.request("PUT", "/1.0/loadbalancer/\(Self.amphora)/\(lb)/haproxy", body: Data(changed.utf8)).status == 202)
        let reload = try agent.request("PUT", "/1.0/loadbalancer/\(lb)/reload")
        #expect(reload.status == 202)
        #expect((reload.object["details"] as? String)?.contains("reloaded") == true)
        client.waitUntilExit()
        let words = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: " ")
        #expect(words.count == 3)
        #expect(Int(words[0]) ?? 0 > 20, "requests served: \(words)")
        #expect(words[1] == "0", "failed requests during reload: \(words)")
        #expect(words.count == 3 && words[2].contains("max-age=2;"), "the new config served: \(words)")
    }

    @Test("a bad config answers 400 with haproxy's message and the old config keeps serving")
    func badConfigKeepsOldOne() throws {
        let (agent, netns) = try startAgent()
        defer { agent.stop() }
        try netns.startBackend(port: 8081, body: "still here")
        let (lb, pool, member) = try Self.deployLoadBalancer(agent, "start")
        let good = Self.config(listener: lb, pool: pool, member: member)
        #expect(waitUntil { netns.get("http://127.0.0.1:8080/") == "still here" })

        // Allowed by the policy, refused by haproxy -c: a default_backend that does not exist.
        let bad = good.replacingOccurrences(of: "default_backend \(pool)", with: "default_backend BAD_LINE")
        let refused = try agent.request("PUT", "/1.0/loadbalancer/\(Self.amphora)/\(lb)/haproxy", body: Data(bad.utf8))
        #expect(refused.status == 400)
        #expect(refused.headers["content-type"] == "application/json")
        #expect(refused.object["message"] as? String == "Invalid request")
        #expect((refused.object["details"] as? String)?.contains("BAD_LINE") == true)
        let failedMode = try FileManager.default.attributesOfItem(atPath: "\(agent.directory)/base/\(lb)/haproxy.cfg.new-failed")[.posixPermissions] as? Int
        #expect(failedMode == 0o600)

        let stored = try agent.request("GET", "/1.0/loadbalancer/\(lb)/haproxy")
        #expect(!stored.text.contains("BAD_LINE"))
        #expect(try agent.request("PUT", "/1.0/loadbalancer/\(lb)/reload").status == 202)
        #expect(netns.get("http://127.0.0.1:8080/") == "still here")

        // The seed API answers the same way.
        let seed = try agent.request("PUT", "/v0.1/listeners/\(Self.amphora)/\(lb)/haproxy", body: Data(bad.utf8))
        #expect(seed.status == 400)
    }

    @Test("v0.1: upload 201, list, delete removes process, files and socket, then 404")
    func seedDelete() throws {
        let (agent, netns) = try startAgent()
        defer { agent.stop() }
        try netns.startBackend(port: 8081, body: "x")
        let listener = Self.uuid(), pool = Self.uuid(), member = Self.uuid()
        let upload = try agent.request("PUT", "/v0.1/listeners/\(Self.amphora)/\(listener)/haproxy", body: Data(Self.config(listener: listener, pool: pool, member: member).utf8))
        #expect(upload.status == 201)
        let stopped = try #require(try agent.request("GET", "/v0.1/listeners").json as? [[String: Any]])
        #expect(stopped.first?["status"] as? String == "STOPPED")
        #expect(stopped.first?["uuid"] as? String == listener)

        let start = try agent.request("PUT", "/v0.1/listeners/\(listener)/start")
        #expect(start.status == 202)
        #expect(start.object["details"] as? String == "Configuration file is valid\nhaproxy daemon for \(listener) started")
        let config = try #require(try agent.request("GET", "/v0.1/listeners/\(listener)/haproxy").text as String?)
        #expect(config.contains("frontend \(listener)"))
        let active = try #require(try agent.request("GET", "/v0.1/listeners").json as? [[String: Any]])
        #expect(active.first?["status"] as? String == "ACTIVE")
        let haproxyPID = try #require(agent.descendants().first { ProcessTable.commandLine($0).contains("haproxy -Ws") })

        let delete = try agent.request("DELETE", "/v0.1/listeners/\(listener)")
        #expect(delete.status == 200)
        #expect(waitUntil(5) { !ProcessTable.isAlive(haproxyPID) })
        #expect(!FileManager.default.fileExists(atPath: "\(agent.directory)/base/\(listener)"))
        #expect(!FileManager.default.fileExists(atPath: "\(agent.directory)/base/\(listener).sock"))
        #expect(netns.get("http://127.0.0.1:8080/") == nil)

        let again = try agent.request("DELETE", "/v0.1/listeners/\(listener)")
        #expect(again.status == 404)
        #expect(again.object["message"] as? String == "Listener Not Found")
        #expect(try agent.request("GET", "/v0.1/listeners/\(listener)").status == 404)
        // 1.0 delete is idempotent.
        #expect(try agent.request("DELETE", "/1.0/listeners/\(listener)").status == 200)
        #expect(try agent.request("GET", "/1.0/listeners").text.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
    }

    @Test("a helper restart leaves haproxy running and status still works")
    func helperRestartKeepsHAProxy() throws {
        let (agent, netns) = try startAgent()
        defer { agent.stop() }
        try netns.startBackend(port: 8081, body: "up")
        let lb = try Self.deployLoadBalancer(agent, "reload").lb
        let haproxyPID = try #require(agent.descendants().first { ProcessTable.commandLine($0).contains("haproxy -Ws") })
        let helper = try #require(agent.pid(of: "amphora-helper serve"))
        kill(helper, SIGKILL)
        #expect(waitUntil(30) { (try? agent.request("GET", "/v0.1/listeners/\(lb)"))?.object["status"] as? String == "ACTIVE" })
        #expect(agent.pid(of: "amphora-helper serve") != helper)
        #expect(ProcessTable.isAlive(haproxyPID))
        #expect(netns.get("http://127.0.0.1:8080/") == "up")
        #expect(try agent.request("PUT", "/1.0/loadbalancer/\(lb)/reload").status == 202)
    }

    @Test("ten concurrent uploads to one instance: the stored file is exactly one of them")
    func concurrentUploads() throws {
        let (agent, _) = try startAgent()
        defer { agent.stop() }
        let lb = Self.uuid(), pool = Self.uuid(), member = Self.uuid()
        let bodies = (0..<10).map { Self.config(listener: lb, pool: pool, member: member, marker: "upload-\($0)") }
        let group = DispatchGroup()
        let statuses = LockedArray()
        for body in bodies {
            group.enter()
            DispatchQueue.global().async {
                let status = (try? agent.request("PUT", "/1.0/loadbalancer/\(Self.amphora)/\(lb)/haproxy", body: Data(body.utf8)))?.status ?? 0
                statuses.append(status)
                group.leave()
            }
        }
        group.wait()
        #expect(statuses.values.allSatisfy { $0 == 202 }, "\(statuses.values)")
        let stored = try agent.request("GET", "/1.0/loadbalancer/\(lb)/haproxy").text
        let matches = bodies.filter { body in
            let marker = body.split(separator: "\n").first.map(String.init) ?? ""
            return stored.hasPrefix(marker + "\n")
        }
        #expect(matches.count == 1)
        let expected = try #require(matches.first)
        // The stored file is the upload with the forced lines (ours, after `global`).
        #expect(stored.replacingOccurrences(of: "    stats socket \(agent.directory)/base/\(lb).sock mode 0600 level user\n    user nobody\n", with: "") == expected)
    }

    @Test("errors: unknown action, missing instance, invalid ids, forbidden directives")
    func errors() throws {
        let (agent, _) = try startAgent()
        defer { agent.stop() }
        let missing = Self.uuid()
        for path in ["/1.0/loadbalancer/\(missing)/restart", "/v0.1/listeners/\(missing)/RELOAD;reboot"] {
            let r = try agent.request("PUT", path)
            #expect(r.status == 400, "\(path)")
            #expect((r.object["details"] as? String)?.hasPrefix("Unknown action: ") == true)
        }
        let v1Missing = try agent.request("PUT", "/1.0/loadbalancer/\(missing)/reload")
        #expect(v1Missing.status == 404)
        #expect(v1Missing.object["message"] as? String == "Loadbalancer Not Found")
        let seedMissing = try agent.request("PUT", "/v0.1/listeners/\(missing)/stop")
        #expect(seedMissing.status == 404)
        #expect(seedMissing.object["details"] as? String == "No listener with UUID: \(missing)")
        #expect(try agent.request("GET", "/1.0/loadbalancer/\(missing)/haproxy").status == 404)
        #expect(try agent.request("GET", "/v0.1/listeners/\(missing)/haproxy").status == 404)

        for bad in ["..", "%2E%2E", "x%20y", missing.uppercased(), "-n"] {
            let r = try agent.request(
                "PUT", "/1.0/loadbalancer/\(Self.amphora)/\(bad)/haproxy", body: Data("global\n".utf8), extraCurlArguments: ["--path-as-is"])
            #expect(r.status == 400, "\(bad)")
        }
        let lb = Self.uuid(), pool = Self.uuid(), member = Self.uuid()
        let base = Self.config(listener: lb, pool: pool, member: member)
        for forbidden in ["program evil\n    command /bin/sh -c id\n", "global\n    lua-load /tmp/x.lua\n", "global\n    \"lua-load\" /tmp/x.lua\n",
                          "backend \(pool)\n    external-check command /bin/sh\n"] {
            let r = try agent.request("PUT", "/1.0/loadbalancer/\(Self.amphora)/\(lb)/haproxy", body: Data((base + forbidden).utf8))
            #expect(r.status == 400, "\(forbidden)")
        }
        let nul = try agent.request("PUT", "/1.0/loadbalancer/\(Self.amphora)/\(lb)/haproxy", body: Data(base.utf8) + Data([0]))
        #expect(nul.status == 400)
        // Past the upload limit: 400, which the controller raises (413 would be success to it).
        let huge = try agent.request(
            "PUT", "/1.0/loadbalancer/\(Self.amphora)/\(lb)/haproxy", body: Data(repeating: 0x23, count: (32 << 20) + 1),
            extraCurlArguments: ["--max-time", "300"])
        #expect(huge.status == 400)
        #expect(huge.headers["content-type"] == "application/json")
        #expect(!FileManager.default.fileExists(atPath: "\(agent.directory)/base/\(lb)/haproxy.cfg"))
    }
}

/// A thread-safe list for results gathered from concurrent requests.
final class LockedArray: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Int] = []
    func append(_ value: Int) { lock.withLock { storage.append(value) } }
    var values: [Int] { lock.withLock { storage } }
}
