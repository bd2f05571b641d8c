import Foundation
import Testing

/// Plugging as Octavia's controller does it beyond the first plug (issue 16, "Networking as the
/// controller uses it"): a member subnet on the VRRP port (`vip_net_info`), member-subnet removal
/// (fewer `fixed_ips`), gateways outside the subnet, advertisements on re-plug, SR-IOV ports and the
/// PCI rescan. Real agent, real `ip`, namespaces and veth pairs the tests create.
@Suite("Networking as the controller uses it", .serialized, .timeLimit(.minutes(3)))
struct NetworkControllerTests {
    static func json(_ object: [String: Any]) -> Data { NetworkTests.json(object) }

    /// "address/prefix" of every address on `dev` in `ns`.
    static func addresses(_ ns: TestNamespace, _ dev: String) throws -> Set<String> {
        let links = try #require(try ns.json(["addr", "show", "dev", dev]) as? [[String: Any]])
        return Set(
            (links.first?["addr_info"] as? [[String: Any]] ?? []).compactMap { info -> String? in
                guard let local = info["local"] as? String, let prefix = info["prefixlen"] as? Int else { return nil }
                return "\(local)/\(prefix)"
            })
    }

    static func routes(_ ns: TestNamespace, table: String? = nil, family: String = "-4") throws -> [[String: Any]] {
        try #require(try ns.json([family, "route", "show"] + (table.map { ["table", $0] } ?? [])) as? [[String: Any]])
    }

    static func ruleSources(_ ns: TestNamespace, family: String = "-4") throws -> [String] {
        try #require(try ns.json([family, "rule", "show"]) as? [[String: Any]]).filter { "\($0["table"] ?? "")" == "1" }.compactMap { $0["src"] as? String }
    }

    /// Audit outcomes of `operation` whose argv names `address`, run to completion.
    static func completed(_ agent: AgentHarness, operation: String, address: String) throws -> Int {
        let audit = try String(contentsOfFile: agent.auditLog, encoding: .utf8)
        return audit.split(separator: "\n").filter {
            $0.contains(#""event":"exec-outcome""#) && $0.contains(#""operation":"\#(operation)""#) && $0.contains(#""\#(address)""#)
                && $0.contains(#""exit_code":0"#)
        }.count
    }

    @Test("plug/network with vip_net_info on the VRRP port keeps the VIP; the replay after a restart restores VIP addresses, routes and rules")
    func memberSubnetOnTheVRRPPort() throws {
        let net = try PluggableAmphora(attaching: [("v", "203.0.113.10/24")])
        let (amphoraNS, agent, mac) = (net.amphoraNS, net.agent, net.macs[0])
        defer { agent.stop() }

        let netInfo = PluggableAmphora.vipBody(subnet: "203.0.113.0/24", gateway: "203.0.113.10", mac: mac, ["vrrp_ip": "203.0.113.11"])
        try net.plugVIP("203.0.113.100", netInfo)

        // The controller's post_network_plug for the VRRP port after a member subnet was added to it.
        var withVIP = netInfo
        withVIP["vip"] = "203.0.113.100"
        let fixedIPs: [[String: Any]] = [
            ["ip_address": "203.0.113.11", "subnet_cidr": "203.0.113.0/24", "gateway": "203.0.113.10", "host_routes": []],
            [
                "ip_address": "198.51.100.20", "subnet_cidr": "198.51.100.0/24", "gateway": "198.51.100.1",
                "host_routes": [["destination": "192.0.2.0/24", "nexthop": "198.51.100.1"]],
            ],
        ]
        let plug = try agent.request(
            "POST", "/1.0/plug/network", body: PluggableAmphora.networkBody(mac: mac, fixedIPs: fixedIPs, ["vip_net_info": withVIP]))
        #expect(plug.status == 202, "\(plug.text)")
        #expect(plug.object["details"] as? String == "Updated existing interface eth1")

        func expectVIPAndMember(_ moment: String) throws {
            let addresses = try Self.addresses(amphoraNS, "eth1")
            #expect(addresses.isSuperset(of: ["203.0.113.100/24", "203.0.113.11/24", "198.51.100.20/24"]), "\(moment): \(addresses)")
            let sources = try Self.ruleSources(amphoraNS)
            #expect(sources.contains("203.0.113.100") && sources.contains("203.0.113.11"), "\(moment): \(sources)")
            let table1 = try Self.routes(amphoraNS, table: "1")
            #expect(table1.contains { $0["dst"] as? String == "default" && $0["gateway"] as? String == "203.0.113.10" }, "\(moment): \(table1)")
            #expect(table1.contains { $0["dst"] as? String == "203.0.113.0/24" }, "\(moment): \(table1)")
            let main = try Self.routes(amphoraNS)
            #expect(main.contains { $0["dst"] as? String == "default" && $0["gateway"] as? String == "203.0.113.10" }, "\(moment): \(main)")
            #expect(main.contains { $0["dst"] as? String == "192.0.2.0/24" && $0["gateway"] as? String == "198.51.100.1" }, "\(moment): \(main)")
        }
        try expectVIPAndMember("after the plug")

        // An amphora reboot loses what the kernel held; the agent's replay must bring it all back.
        agent.stop()
        try amphoraNS.run(["/usr/sbin/ip", "addr", "flush", "dev", "eth1"])
        try amphoraNS.run(["/usr/sbin/ip", "route", "flush", "table", "1"])
        for source in ["203.0.113.100", "203.0.113.11"] {
            try amphoraNS.run(["/usr/sbin/ip", "rule", "del", "from", source, "table", "1"], check: false)
        }
        #expect(try Self.addresses(amphoraNS, "eth1").isEmpty)
        try agent.start()
        try expectVIPAndMember("after the restart")
        #expect(try agent.request("GET", "/1.0/interface/203.0.113.100").object["interface"] as? String == "eth1")
    }

    @Test("a second plug/network with fewer fixed_ips (member-subnet removal) removes the old address and its routes")
    func shrinkingFixedIPsRemoveTheOldAddresses() throws {
        let net = try PluggableAmphora(attaching: [("m", "198.51.100.1/24")])
        let (amphoraNS, ports, agent, mac) = (net.amphoraNS, net.peer, net.agent, net.macs[0])
        defer { agent.stop() }

        let kept: [String: Any] = ["ip_address": "198.51.100.5", "subnet_cidr": "198.51.100.0/24", "gateway": "198.51.100.1", "host_routes": []]
        let removed: [String: Any] = [
            "ip_address": "192.0.2.5", "subnet_cidr": "192.0.2.0/24", "gateway": "192.0.2.1",
            "host_routes": [["destination": "203.0.113.128/25", "nexthop": "192.0.2.1"]],
        ]
        let both = try agent.request("POST", "/1.0/plug/network", body: PluggableAmphora.networkBody(mac: mac, fixedIPs: [kept, removed]))
        #expect(both.status == 202, "\(both.text)")
        #expect(try Self.addresses(amphoraNS, "eth1").isSuperset(of: ["198.51.100.5/24", "192.0.2.5/24"]))
        #expect(try Self.routes(amphoraNS).contains { $0["dst"] as? String == "203.0.113.128/25" })

        let one = try agent.request("POST", "/1.0/plug/network", body: PluggableAmphora.networkBody(mac: mac, fixedIPs: [kept]))
        #expect(one.status == 202, "\(one.text)")
        #expect(one.object["details"] as? String == "Updated existing interface eth1")
        let addresses = try Self.addresses(amphoraNS, "eth1")
        #expect(addresses.contains("198.51.100.5/24"))
        #expect(!addresses.contains("192.0.2.5/24"), "\(addresses)")
        #expect(try !Self.routes(amphoraNS).contains { $0["dst"] as? String == "203.0.113.128/25" })
        #expect(ports.get("http://198.51.100.5:1/") == nil)  // the kept address still answers ARP; nothing listens

        // The record shrank too: a restart does not bring the removed address back.
        try agent.restart()
        #expect(try !Self.addresses(amphoraNS, "eth1").contains("192.0.2.5/24"))
        #expect(try Self.addresses(amphoraNS, "eth1").contains("198.51.100.5/24"))
    }

    @Test("a gateway and a host route next hop outside the subnet are accepted and routed onlink")
    func gatewayOutsideTheSubnetIsRoutedOnlink() throws {
        let net = try PluggableAmphora(attaching: [("o", "203.0.113.10/24")])
        let (amphoraNS, agent, mac) = (net.amphoraNS, net.agent, net.macs[0])
        defer { agent.stop() }

        let routes = [["destination": "192.0.2.0/24", "nexthop": "198.51.100.1"]]
        try net.plugVIP(
            "203.0.113.100",
            PluggableAmphora.vipBody(subnet: "203.0.113.0/24", gateway: "198.51.100.1", mac: mac, ["vrrp_ip": "203.0.113.11", "host_routes": routes]))
        func onlink(_ route: [String: Any]) -> Bool { (route["flags"] as? [String] ?? []).contains("onlink") }
        let table1 = try Self.routes(amphoraNS, table: "1")
        #expect(table1.contains { $0["dst"] as? String == "default" && $0["gateway"] as? String == "198.51.100.1" && onlink($0) }, "\(table1)")
        let main = try Self.routes(amphoraNS)
        #expect(main.contains { $0["dst"] as? String == "default" && $0["gateway"] as? String == "198.51.100.1" && onlink($0) }, "\(main)")
        #expect(main.contains { $0["dst"] as? String == "192.0.2.0/24" && $0["gateway"] as? String == "198.51.100.1" && onlink($0) }, "\(main)")
        // A gateway of the other family is still refused.
        let wrongFamily = try agent.request(
            "POST", "/1.0/plug/vip/203.0.113.101",
            body: Self.json(["subnet_cidr": "203.0.113.0/24", "gateway": "2001:db8::1", "mac_address": NetworkTests.mac(9)]))
        #expect(wrongFamily.status == 400, "\(wrongFamily.text)")
    }

    @Test("plug/network of an interface that already exists sends gratuitous ARP for its fixed addresses, as upstream does")
    func updatedExistingInterfaceIsAnnounced() throws {
        let net = try PluggableAmphora(attaching: [("g", "198.51.100.1/24")])
        let (agent, mac) = (net.agent, net.macs[0])
        defer { agent.stop() }

        let body = PluggableAmphora.networkBody(
            mac: mac, fixedIPs: [["ip_address": "198.51.100.6", "subnet_cidr": "198.51.100.0/24", "gateway": "198.51.100.1", "host_routes": []]])
        #expect(try agent.request("POST", "/1.0/plug/network", body: body).status == 202)
        let first = try Self.completed(agent, operation: "gratuitous-arp", address: "198.51.100.6")
        #expect(first == 1)
        let again = try agent.request("POST", "/1.0/plug/network", body: body)
        #expect(again.object["details"] as? String == "Updated existing interface eth1")
        #expect(try Self.completed(agent, operation: "gratuitous-arp", address: "198.51.100.6") == first + 1)
    }

    @Test("is_sriov: the port gets the drop-all nftables ruleset, loaded in the amphora namespace")
    func sriovPortGetsTheDropAllRuleset() throws {
        let net = try PluggableAmphora(attaching: [("s", "203.0.113.10/24")])
        let (amphoraNS, agent, mac) = (net.amphoraNS, net.agent, net.macs[0])
        defer { agent.stop() }

        try net.plugVIP(
            "203.0.113.100",
            PluggableAmphora.vipBody(subnet: "203.0.113.0/24", gateway: "203.0.113.10", mac: mac, ["vrrp_ip": "203.0.113.11", "is_sriov": true]))
        let ruleset = try amphoraNS.run(["/usr/sbin/nft", "list", "table", "inet", "amphora_table"], check: false).stdout
        #expect(ruleset.contains("policy drop"), "\(ruleset)")
        #expect(!ruleset.contains("tcp dport") && !ruleset.contains("iifname"), "nothing but loopback, ICMP, ND and DHCP passes: \(ruleset)")
        #expect(try agent.request("POST", "/1.0/plug/network", body: Self.json(["mac_address": mac, "is_sriov": "yes"])).status == 400)
    }

    @Test("a MAC that is not there makes the helper write /sys/bus/pci/rescan (audited) before answering 404")
    func missingMACRescansThePCIBus() throws {
        let amphoraNS = try TestNamespace()
        let agent = try AgentHarness(extraConfig: "netns = \(amphoraNS.name)")
        let rescan = agent.directory + "/pci-rescan"
        _ = FileManager.default.createFile(atPath: rescan, contents: nil)
        chmod(rescan, 0o200)
        agent.pciRescanFile = rescan
        try agent.start()
        defer { agent.stop() }

        let plug = try agent.request(
            "POST", "/1.0/plug/network",
            body: Self.json(["mac_address": NetworkTests.mac(6), "fixed_ips": [["ip_address": "198.51.100.7", "subnet_cidr": "198.51.100.0/24"]]]))
        #expect(plug.status == 404)
        #expect(plug.object["details"] as? String == "No suitable network interface found")
        #expect(try String(contentsOfFile: rescan, encoding: .utf8) == "1")
        let audit = try String(contentsOfFile: agent.auditLog, encoding: .utf8)
        #expect(audit.contains(#""event":"pci-rescan-intent""#))
        #expect(audit.contains(#""outcome":"written""#))
    }

    @Test("IPv6: a client reaches haproxy on a plugged 2001:db8 VIP, and haproxy reaches a member through a plugged member port")
    func ipv6VIPAndMemberCarryTraffic() throws {
        let net = try PluggableAmphora(attaching: [("6", "2001:db8:1::10/64")])
        let (amphoraNS, client, agent, vipMAC) = (net.amphoraNS, net.peer, net.agent, net.macs[0])
        defer { agent.stop() }
        let members = try TestNamespace()
        let memberMAC = try net.attachPort("7", peerAddress: "2001:db8:2::20/64", in: members)

        try net.plugVIP(
            "2001:db8:1::100",
            PluggableAmphora.vipBody(subnet: "2001:db8:1::/64", gateway: "2001:db8:1::10", mac: vipMAC, ["vrrp_ip": "2001:db8:1::11"]))
        let member = try agent.request(
            "POST", "/1.0/plug/network",
            body: PluggableAmphora.networkBody(
                mac: memberMAC, fixedIPs: [["ip_address": "2001:db8:2::5", "subnet_cidr": "2001:db8:2::/64", "gateway": "2001:db8:2::1", "host_routes": []]]))
        #expect(member.status == 202, "\(member.text)")
        #expect(try Self.addresses(amphoraNS, "eth1").isSuperset(of: ["2001:db8:1::100/64", "2001:db8:1::11/64"]))
        #expect(try Self.addresses(amphoraNS, "eth2").contains("2001:db8:2::5/64"))
        let table1 = try Self.routes(amphoraNS, table: "1", family: "-6")
        #expect(table1.contains { $0["dst"] as? String == "default" && $0["gateway"] as? String == "2001:db8:1::10" }, "\(table1)")
        #expect(try Self.ruleSources(amphoraNS, family: "-6").contains("2001:db8:1::100"))
        #expect(try agent.request("GET", "/1.0/interface/2001:db8:2::5").object["interface"] as? String == "eth2")

        // A member on the member subnet (IPv6 backend), haproxy on the VIP, a client on the VIP subnet.
        let backend = """
            import http.server, socket, sys
            class S(http.server.ThreadingHTTPServer): address_family = socket.AF_INET6
            class H(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    b = b"member over IPv6"
                    self.send_response(200); self.send_header("Content-Length", str(len(b))); self.end_headers(); self.wfile.write(b)
                def log_message(self, *a): pass
            S(("2001:db8:2::20", 8081), H).serve_forever()
            """
        // The member's address may still be tentative (DAD): start the backend once it binds.
        #expect(waitUntil {
            (try? members.run(["/usr/bin/python3", "-c", "import socket; s=socket.socket(socket.AF_INET6); s.bind(('2001:db8:2::20', 0))"], check: false))?.status == 0
        })
        try members.start(["/usr/bin/python3", "-c", backend])
        let lb = try net.uploadListener(bind: "2001:db8:1::100:8080", server: "2001:db8:2::20:8081")
        let reload = try agent.request("PUT", "/1.0/loadbalancer/\(lb)/reload")
        #expect(reload.status == 202, "\(reload.text)")
        #expect(waitUntil(20) { client.get("http://[2001:db8:1::100]:8080/") == "member over IPv6" })
    }
}
