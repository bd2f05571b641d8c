import Foundation
import Testing

/// ACTIVE-STANDBY with two real agents, real keepalived and a real failover, on a segment the test
/// builds: a bridge in a "switch" namespace joining both amphorae and a client.
@Suite("Topology and VRRP", .serialized, .timeLimit(.minutes(4)))
struct TopologyTests {
    static let amphora = AgentHarness.amphoraID
    static let vip = "203.0.113.100"

    /// One amphora: its namespace, its agent (ACTIVE_STANDBY), a port on the switch with the VRRP address.
    struct Amphora {
        let ns: TestNamespace
        let agent: AgentHarness
        let name: String

        func holdsVIP() -> Bool {
            guard let links = try? ns.json(["addr", "show"]) as? [[String: Any]] else { return false }
            return links.contains { link in
                ((link["addr_info"] as? [[String: Any]]) ?? []).contains { $0["local"] as? String == TopologyTests.vip }
            }
        }

        func pids(matching fragment: String) -> [Int32] {
            agent.descendants().filter { ProcessTable.commandLine($0).contains(fragment) }
        }
    }

    func makeAmphora(_ label: String, switchNS: TestNamespace, vrrpIP: String, role: String) throws -> Amphora {
        let ns = try TestNamespace()
        let suffix = String(ns.name.suffix(6))
        let mac = "02:b6:" + (0..<3).map { _ in String(format: "%02x", Int.random(in: 0...255)) }.joined(separator: ":") + ":0\(label == "A" ? 1 : 2)"
        try switchNS.addPort(rootName: "p\(suffix)", rootMAC: mac, peerName: "q\(suffix)", peerAddress: nil)
        try Shell.run("/usr/sbin/ip", ["-n", switchNS.name, "link", "set", "q\(suffix)", "master", "br0"])
        let agent = try AgentHarness(extraConfig: "netns = \(ns.name)\n[controller_worker]\nloadbalancer_topology = ACTIVE_STANDBY")
        try agent.start()
        let plug = try agent.request(
            "POST", "/1.0/plug/vip/\(Self.vip)",
            body: try JSONSerialization.data(withJSONObject: [
                "subnet_cidr": "203.0.113.0/24", "gateway": "203.0.113.10", "mac_address": mac, "vrrp_ip": vrrpIP,
            ]))
        #expect(plug.status == 202, "\(plug.text)")
        // Every amphora serves the VIP with its own haproxy, backed by a member saying who answered.
        try ns.startBackend(port: 8081, body: "served by \(label)")
        let lb = UUID().uuidString.lowercased()
        let config = "global\n    maxconn 64\ndefaults\n    retries 3\n"
            + "frontend \(lb)\n    bind 0.0.0.0:8080\n    mode http\n    default_backend pool\n    timeout client 5s\n"
            + "backend pool\n    mode http\n    timeout connect 2s\n    timeout server 5s\n    server m1 127.0.0.1:8081\n"
        #expect(try agent.request("PUT", "/1.0/loadbalancer/\(Self.amphora)/\(lb)/haproxy", body: Data(config.utf8)).status == 202)
        #expect(try agent.request("PUT", "/1.0/loadbalancer/\(lb)/reload").status == 202)
        let topology = try agent.request(
            "POST", "/v0.1/topology",
            body: try JSONSerialization.data(withJSONObject: ["topology": "ACTIVE-STANDBY", "role": role, "ha_ip": Self.vip, "secret": "s3cret"]))
        #expect(topology.status == 202, "\(topology.text)")
        #expect(waitUntil(15) { (try? agent.request("GET", "/v0.1/topology"))?.object["topology_status"] as? String == "OK" })
        return Amphora(ns: ns, agent: agent, name: label)
    }

    @Test("one amphora holds the VIP; killing its keepalived, then its haproxy, moves the VIP and the client keeps being served")
    func failover() throws {
        let switchNS = try TestNamespace()
        try Shell.run("/usr/sbin/ip", ["-n", switchNS.name, "link", "add", "br0", "type", "bridge"])
        try Shell.run("/usr/sbin/ip", ["-n", switchNS.name, "link", "set", "br0", "up"])
        let client = try TestNamespace()
        let suffix = String(client.name.suffix(6))
        try client.addPort(rootName: "c\(suffix)", rootMAC: "02:b6:00:00:00:0c", peerName: "d\(suffix)", peerAddress: "203.0.113.10/24")
        try Shell.run("/usr/sbin/ip", ["link", "set", "c\(suffix)", "netns", switchNS.name])
        try Shell.run("/usr/sbin/ip", ["-n", switchNS.name, "link", "set", "c\(suffix)", "master", "br0", "up"])

        let a = try makeAmphora("A", switchNS: switchNS, vrrpIP: "203.0.113.11", role: "ACTIVE")
        defer { a.agent.stop() }
        let b = try makeAmphora("B", switchNS: switchNS, vrrpIP: "203.0.113.12", role: "STANDBY")
        defer { b.agent.stop() }

        let state = try a.agent.request("GET", "/v0.1/topology")
        #expect(state.object["topology"] as? String == "ACTIVE-STANDBY")
        #expect(state.object["role"] as? String == "ACTIVE")
        #expect(state.object["ha_ip"] as? String == Self.vip)
        let secretFile = a.agent.directory + "/base/vrrp/octavia-keepalived.conf"
        #expect(try FileManager.default.attributesOfItem(atPath: secretFile)[.posixPermissions] as? Int == 0o600)
        for log in [a.agent.logPath, a.agent.auditLog] {
            #expect(!(try String(contentsOfFile: log, encoding: .utf8)).contains("s3cret"), "the secret is never logged")
        }

        #expect(waitUntil(15) { a.holdsVIP() && !b.holdsVIP() }, "exactly one amphora (the ACTIVE one) holds the VIP")
        #expect(waitUntil(10) { client.get("http://\(Self.vip):8080/") == "served by A" })

        // 1. The master's keepalived dies.
        // keepalived's own processes only (the agent's directory may have "keepalived" in its path).
        let keepalived = a.agent.descendants().filter {
            let command = ProcessTable.commandLine($0)
            return command.hasPrefix("/usr/sbin/keepalived") || command.hasPrefix("keepalived")
        }
        #expect(!keepalived.isEmpty)
        for pid in keepalived { kill(pid, SIGKILL) }
        #expect(waitUntil(10) { b.holdsVIP() }, "the standby takes the VIP within 10 s")
        #expect(waitUntil(5) { keepalived.allSatisfy { !ProcessTable.isAlive($0) } }, "the agent reaps the killed daemon")
        #expect(waitUntil(10) { client.get("http://\(Self.vip):8080/") == "served by B" })

        // A's keepalived comes back (and, with the higher priority, takes the VIP back).
        let restart = try a.agent.request("PUT", "/1.0/vrrp/start")
        #expect(restart.status == 202, "\(restart.text)")
        #expect(restart.object["details"] as? String == "keepalived started")
        #expect(waitUntil(15) { a.holdsVIP() && !b.holdsVIP() })
        #expect(waitUntil(10) { client.get("http://\(Self.vip):8080/") == "served by A" })

        // 2. The master's haproxy dies: its VRRP check fails and the VIP moves.
        for pid in a.pids(matching: "haproxy -Ws") { kill(pid, SIGKILL) }
        #expect(waitUntil(10) { b.holdsVIP() && !a.holdsVIP() }, "the standby takes the VIP when the master's haproxy is gone")
        #expect(waitUntil(10) { client.get("http://\(Self.vip):8080/") == "served by B" })
    }

    @Test("topology validation names each bad parameter; an impossible ha_ip is 400; transitions answer 503 to mutating calls; VRRP errors")
    func validationTransitionAndErrors() throws {
        let ns = try TestNamespace()
        // administrative_log_facility: keepalived's --log-facility, as upstream's unit passes it.
        let agent = try AgentHarness(extraConfig: "netns = \(ns.name)\n[amphora_agent]\nadministrative_log_facility = 3")
        try agent.start()
        defer { agent.stop() }

        let initial = try agent.request("GET", "/v0.1/topology")
        #expect(initial.status == 200)
        #expect(initial.object["topology"] as? String == "SINGLE")
        #expect(initial.object["uuid"] as? String == Self.amphora)
        #expect(initial.object["hostname"] as? String != nil)

        let bad = try agent.request(
            "POST", "/v0.1/topology",
            body: try JSONSerialization.data(withJSONObject: ["topology": "MESH", "role": "LEADER", "ha_ip": "999.1.1.1", "secret": "a b"]))
        #expect(bad.status == 400)
        let details = try #require(bad.object["details"] as? String)
        #expect(details.contains("Unknown topology: MESH"))
        #expect(details.contains("Unknown role: LEADER"))
        #expect(details.contains("ha_ip"))
        let missing = try agent.request("POST", "/v0.1/topology", body: try JSONSerialization.data(withJSONObject: ["topology": "ACTIVE-STANDBY"]))
        #expect(missing.status == 400)
        #expect((missing.object["details"] as? String)?.contains("role is required") == true)

        // The seed's "topology logic test": no plugged interface on ha_ip's subnet is a 400 naming
        // ha_ip (not a 202 and a silent roll-back), and GET /topology reports the failed transition.
        let impossible = try agent.request(
            "POST", "/v0.1/topology",
            body: try JSONSerialization.data(withJSONObject: ["topology": "ACTIVE-STANDBY", "role": "STANDBY", "ha_ip": "192.0.2.100", "secret": "pw"]))
        #expect(impossible.status == 400, "\(impossible.text)")
        #expect(impossible.object["message"] as? String == "Invalid request")
        #expect((impossible.object["details"] as? String)?.contains("ha_ip 192.0.2.100") == true, "\(impossible.text)")
        let reported = try agent.request("GET", "/v0.1/topology").object
        #expect(reported["topology"] as? String == "SINGLE")
        #expect(reported["topology_status"] as? String == "OK")
        let failed = reported["last_failed_transition"] as? [String: Any]
        #expect(failed?["topology"] as? String == "ACTIVE-STANDBY")
        #expect(failed?["ha_ip"] as? String == "192.0.2.100")
        #expect((failed?["details"] as? String)?.contains("ha_ip") == true)

        // A transition (to SINGLE, which stops keepalived) blocks mutating calls while it runs.
        let lb = UUID().uuidString.lowercased()
        // Upload a VRRP configuration first, so that the transition has work to do.
        let suffix = String(ns.name.suffix(6))
        try Shell.run("/usr/sbin/ip", ["link", "add", "k\(suffix)", "type", "veth", "peer", "name", "l\(suffix)"])
        defer { _ = try? Shell.run("/usr/sbin/ip", ["link", "del", "l\(suffix)"], check: false) }
        try Shell.run("/usr/sbin/ip", ["link", "set", "k\(suffix)", "netns", ns.name])
        try Shell.run("/usr/sbin/ip", ["-n", ns.name, "link", "set", "k\(suffix)", "name", "eth1"])
        try Shell.run("/usr/sbin/ip", ["-n", ns.name, "addr", "add", "192.0.2.11/24", "dev", "eth1"])
        let good = "global_defs {\n    router_id t\n}\nvrrp_instance v {\n    state BACKUP\n    interface eth1\n    virtual_router_id 51\n    priority 90\n    advert_int 1\n    virtual_ipaddress {\n        192.0.2.100/24 dev eth1\n    }\n}\n"
        let upload = try agent.request("PUT", "/1.0/vrrp/upload", body: Data(good.utf8))
        #expect(upload.status == 200, "\(upload.text)")
        #expect(try agent.request("PUT", "/v0.1/vrrp/start").status == 202)
        let keepalived = agent.descendants().map(ProcessTable.commandLine).filter { $0.hasPrefix("/usr/sbin/keepalived ") }
        #expect(!keepalived.isEmpty && keepalived.allSatisfy { $0.contains(" --log-facility=3 ") }, "\(keepalived)")
        let change = try agent.request(
            "POST", "/v0.1/topology",
            body: try JSONSerialization.data(withJSONObject: ["topology": "ACTIVE-STANDBY", "role": "STANDBY", "ha_ip": "192.0.2.100", "secret": "pw"]))
        #expect(change.status == 202)
        #expect(change.object["topology_status"] as? String == "TOPOLOGY-CHANGE")
        let blocked = try agent.request("PUT", "/1.0/loadbalancer/\(Self.amphora)/\(lb)/haproxy", body: Data("global\n".utf8))
        #expect(blocked.status == 503)
        #expect(blocked.object["message"] as? String == "Topology transition in progress")
        #expect(waitUntil(15) { (try? agent.request("GET", "/v0.1/topology"))?.object["topology_status"] as? String == "OK" })
        let failures = (try String(contentsOfFile: agent.auditLog, encoding: .utf8)).split(separator: "\n").filter { $0.contains("topology-change-failed") }
        #expect(try agent.request("GET", "/v0.1/topology").object["role"] as? String == "STANDBY", "\(failures)")
        #expect(try agent.request("GET", "/v0.1/topology").object["last_failed_transition"] is NSNull, "a success clears the failure")
        #expect(try agent.request("PUT", "/v0.1/vrrp/stop").status == 202)

        // The topology survives a restart.
        try agent.restart()
        #expect(try agent.request("GET", "/v0.1/topology").object["topology"] as? String == "ACTIVE-STANDBY")

        // VRRP errors.
        for action in ["restart", "START;reboot"] {
            let r = try agent.request("PUT", "/1.0/vrrp/\(action)")
            #expect(r.status == 400)
            #expect((r.object["details"] as? String)?.hasPrefix("Unknown action: ") == true)
        }
        let rejected = try agent.request("PUT", "/1.0/vrrp/upload", body: Data("vrrp_instance v {\n    bogus_keyword 1\n}\n".utf8))
        #expect(rejected.status == 400)
        #expect((rejected.object["details"] as? String)?.contains("bogus_keyword") == true)
        let script = good + "vrrp_script evil {\n    script \"/bin/sh -c id\"\n}\n"
        #expect(try agent.request("PUT", "/v0.1/vrrp/upload", body: Data(script.utf8)).status == 400)
        let active = try String(contentsOfFile: agent.directory + "/base/vrrp/octavia-keepalived.conf", encoding: .utf8)
        #expect(!active.contains("bogus_keyword") && !active.contains("/bin/sh"), "a rejected configuration never replaces the active one")
    }
}
