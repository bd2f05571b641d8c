import Foundation
import Testing

/// The haproxy allow-list against the real controller: Octavia 19.0.0's own JinjaTemplater renders a
/// matrix of load-balancer features (Tests/Conformance/render_octavia_haproxy.py); the real agent
/// accepts every rendering (policy and `haproxy -c`), and one of them is started and serves traffic.
/// And an attack: a quoted lua-load gets 400 before any haproxy runs.
@Suite("haproxy policy against Octavia's templates", .serialized, .timeLimit(.minutes(10)))
struct HAProxyPolicyConformanceTests {
    static let renderer = AgentHarness.repositoryRoot.path + "/Tests/Conformance/render_octavia_haproxy.py"

    /// Audit records of a `haproxy -c` of the instance's candidate file.
    static func checkRecords(_ agent: AgentHarness, _ lb: String) -> Int {
        let audit = (try? String(contentsOfFile: agent.auditLog, encoding: .utf8)) ?? ""
        return audit.split(separator: "\n").filter { $0.contains("\(lb)/haproxy.cfg.new") }.count
    }

    @Test("every configuration Octavia renders is accepted and checked; one is started and serves")
    func octaviaRenderingsAreAcceptedCheckedAndServed() throws {
        let netns = try TestNamespace()
        let agent = try AgentHarness.started(extraConfig: "netns = \(netns.name)")
        defer { agent.stop() }
        let lb = HAProxyLifecycleTests.uuid()
        let out = agent.directory + "/rendered"
        let render = try HAProxyRenderer.run(Self.renderer, lb: lb, for: agent, ["--write-certs", "--serve", "127.0.0.1:8080", "127.0.0.1:8081", out])
        #expect(render.status == 0, "\(render.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".cfg") }.sorted()
        #expect(files.count >= 70, "\(files)")

        var checks = Self.checkRecords(agent, lb)
        for file in files {
            let text = try String(contentsOfFile: out + "/" + file, encoding: .utf8)
            let upload = try agent.request("PUT", "/1.0/loadbalancer/\(AgentHarness.amphoraID)/\(lb)/haproxy", body: Data(text.utf8))
            #expect(upload.status == 202, "\(file): \(upload.text)")
            // Accepted by the policy and then by haproxy -c: a check ran for each.
            let now = Self.checkRecords(agent, lb)
            #expect(now > checks, "\(file): no haproxy -c ran")
            checks = now
            let stored = try agent.request("GET", "/1.0/loadbalancer/\(lb)/haproxy").text
            #expect(stored.contains("stats socket \(agent.directory)/base/\(lb).sock mode 0600 level user"), "\(file)")
            #expect(!stored.contains("mode 0666"), "\(file)")
        }

        // The served one: an HTTP listener with an HTTP-monitored member, through the real haproxy.
        try netns.startBackend(port: 8081, body: "served by octavia's rendering")
        let served = try String(contentsOfFile: out + "/served.cfg", encoding: .utf8)
        #expect(try agent.request("PUT", "/1.0/loadbalancer/\(AgentHarness.amphoraID)/\(lb)/haproxy", body: Data(served.utf8)).status == 202)
        let reload = try agent.request("PUT", "/1.0/loadbalancer/\(lb)/reload")
        #expect(reload.status == 202, "\(reload.text)")
        let deadline = Date().addingTimeInterval(10)
        var answer: String?
        while Date() < deadline {
            answer = netns.get("http://127.0.0.1:8080/")
            if answer != nil { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(answer == "served by octavia's rendering")
        // haproxy's workers run as nobody (forced), not root.
        let pids = ProcessTable.allPIDs().filter { ProcessTable.commandLine($0).contains("\(lb)/haproxy.cfg") }
        #expect(!pids.isEmpty)
        #expect(pids.contains { ProcessTable.status($0, "Uid")?.split(separator: "\t").first == "65534" }, "\(pids.map { ProcessTable.status($0, "Uid") ?? "" })")
        #expect(try agent.request("PUT", "/1.0/loadbalancer/\(lb)/stop").status == 202)
    }

    @Test("G1: a quoted lua-load in Octavia's rendering gets 400 and haproxy -c never runs")
    func quotedLuaLoadUploadIsRefusedBeforeHAProxyRuns() throws {
        let agent = try AgentHarness.started()
        defer { agent.stop() }
        let lb = HAProxyLifecycleTests.uuid(), pool = HAProxyLifecycleTests.uuid(), member = HAProxyLifecycleTests.uuid()
        let marker = agent.directory + "/lua-ran"
        let lua = agent.directory + "/x.lua"
        try "io.open('\(marker)', 'w'):close()\n".write(toFile: lua, atomically: true, encoding: .utf8)
        let good = HAProxyLifecycleTests.config(listener: lb, pool: pool, member: member)
        for line in ["\"lua-load\" \(lua)", "lua\"-load\" \(lua)", "'lua-load' \(lua)", "\"${LUA}\" \(lua)", "\"lua-load-per-thread\" \(lua)"] {
            let hostile = good.replacingOccurrences(of: "global\n", with: "global\n    \(line)\n")
            let r = try agent.request("PUT", "/1.0/loadbalancer/\(AgentHarness.amphoraID)/\(lb)/haproxy", body: Data(hostile.utf8))
            #expect(r.status == 400, "\(line): \(r.text)")
            #expect(r.headers["content-type"] == "application/json")
            #expect((r.object["details"] as? String)?.contains("line 3") == true, "\(r.text)")
        }
        #expect(Self.checkRecords(agent, lb) == 0)
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(!FileManager.default.fileExists(atPath: "\(agent.directory)/base/\(lb)/haproxy.cfg.new-failed"))
    }
}
