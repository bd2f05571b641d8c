import Foundation
import Testing

/// Plugging ports into the amphora namespace with iproute2, in namespaces and veth pairs the test
/// creates: traffic from a client namespace reaches haproxy on the VIP.
@Suite("Networking", .serialized, .timeLimit(.minutes(3)))
struct NetworkTests {

    static func mac(_ last: Int) -> String {
        let random = (0..<3).map { _ in String(format: "%02x", Int.random(in: 0...255)) }.joined(separator: ":")
        return "02:a5:" + random + String(format: ":%02x", last)
    }

    static func json(_ object: [String: Any]) -> Data { (try? JSONSerialization.data(withJSONObject: object)) ?? Data() }

    @Test("1.0 plug VIP: addresses, routes, rules; traffic from a client reaches haproxy on the VIP; survives a restart")
    func plugVIPAndServe() throws {
        let net = try PluggableAmphora(attaching: [("v", "203.0.113.10/24")])
        let (amphoraNS, client, agent, vipMAC) = (net.amphoraNS, net.peer, net.agent, net.macs[0])
        defer { agent.stop() }

        let body = Self.json([
            "subnet_cidr": "203.0.113.0/24", "gateway": "203.0.113.10", "mac_address": vipMAC.uppercased(), "mtu": 1400,
            "vrrp_ip": NSNull(), "is_sriov": false, "additional_vips": [],
            "host_routes": [["destination": "198.51.100.0/24", "nexthop": "203.0.113.10"]],
        ])
        let plug = try agent.request("POST", "/1.0/plug/vip/203.0.113.100", body: body)
        #expect(plug.status == 202, "\(plug.text)")
        #expect(plug.object["details"] as? String == "VIPs plugged on interface eth1: 203.0.113.100")

        let links = try #require(try amphoraNS.json(["addr", "show", "dev", "eth1"]) as? [[String: Any]])
        let eth1 = try #require(links.first)
        #expect(eth1["address"] as? String == vipMAC)
        #expect(eth1["mtu"] as? Int == 1400)
        #expect((eth1["operstate"] as? String) != "DOWN")
        let addresses = (eth1["addr_info"] as? [[String: Any]] ?? []).compactMap { info -> String? in
            guard let local = info["local"] as? String, let prefix = info["prefixlen"] as? Int else { return nil }
            return "\(local)/\(prefix)"
        }
        #expect(addresses.contains("203.0.113.100/24"))
        let table1 = try #require(try amphoraNS.json(["route", "show", "table", "1"]) as? [[String: Any]])
        #expect(table1.contains { $0["dst"] as? String == "default" && $0["gateway"] as? String == "203.0.113.10" })
        #expect(table1.contains { $0["dst"] as? String == "203.0.113.0/24" })
        let main = try #require(try amphoraNS.json(["route", "show"]) as? [[String: Any]])
        #expect(main.contains { $0["dst"] as? String == "198.51.100.0/24" && $0["gateway"] as? String == "203.0.113.10" })
        let rules = try #require(try amphoraNS.json(["rule", "show"]) as? [[String: Any]])
        #expect(rules.contains { $0["src"] as? String == "203.0.113.100" && "\($0["table"] ?? "")" == "1" })

        // haproxy on the VIP, a backend inside the amphora namespace, a client outside.
        try amphoraNS.startBackend(port: 8081, body: "served on the VIP")
        let lb = try net.uploadListener(bind: "203.0.113.100:8080", server: "127.0.0.1:8081")
        #expect(try agent.request("PUT", "/1.0/loadbalancer/\(lb)/reload").status == 202)
        #expect(waitUntil { client.get("http://203.0.113.100:8080/") == "served on the VIP" })

        let lookup = try agent.request("GET", "/1.0/interface/203.0.113.100")
        #expect(lookup.status == 200)
        #expect(lookup.object["interface"] as? String == "eth1")

        let again = try agent.request("POST", "/1.0/plug/vip/203.0.113.100", body: body)
        #expect(again.status == 409)
        #expect(again.object["message"] as? String == "Interface already exists")

        // The audit log shows exact argv arrays for each change.
        let audit = try String(contentsOfFile: agent.auditLog, encoding: .utf8)
        #expect(audit.contains(#""netns":"\#(amphoraNS.name)","argv":["ip","addr","replace","203.0.113.100/24","dev","eth1"]"#))
        // The gratuitous ARP ran to completion (inside the launcher's filter: not killed, exit 0).
        #expect(audit.split(separator: "\n").contains {
            $0.contains(#""event":"exec-outcome""#) && $0.contains(#""operation":"gratuitous-arp""#) && $0.contains(#""exit_code":0"#)
        })

        try agent.restart()
        #expect(try agent.request("GET", "/1.0/interface/203.0.113.100").object["interface"] as? String == "eth1")
        let after = try #require(try amphoraNS.json(["addr", "show", "dev", "eth1"]) as? [[String: Any]])
        #expect(((after.first?["addr_info"] as? [[String: Any]]) ?? []).contains { $0["local"] as? String == "203.0.113.100" })
        #expect(try agent.request("PUT", "/1.0/loadbalancer/\(lb)/reload").status == 202)
        #expect(waitUntil { client.get("http://203.0.113.100:8080/") == "served on the VIP" })
    }

    @Test("a plug never takes a link the amphora uses (holding an address, sharing its MAC, carrying a macvlan): 400, nothing moves")
    func plugRefusesTheAmphorasOwnLinks() throws {
        let net = try PluggableAmphora(attaching: [("u", "203.0.113.1/24")])
        let (amphoraNS, agent, mac) = (net.amphoraNS, net.agent, net.macs[0])
        defer { agent.stop() }
        let rootEnd = "ua\(net.suffix)"
        let network = PluggableAmphora.networkBody(
            mac: mac, fixedIPs: [["ip_address": "203.0.113.5", "subnet_cidr": "203.0.113.0/24", "gateway": "203.0.113.1", "host_routes": []]])
        func stillInRoot() throws -> Bool {
            try Shell.run("/usr/sbin/ip", ["link", "show", "dev", rootEnd], check: false).status == 0
                && (try amphoraNS.json(["link", "show"]) as? [[String: Any]] ?? []).allSatisfy { $0["address"] as? String != mac }
        }

        // The root end holds an address, as the management port does.
        try Shell.run("/usr/sbin/ip", ["addr", "add", "192.0.2.201/32", "dev", rootEnd])
        let held = try agent.request("POST", "/1.0/plug/network", body: network)
        #expect(held.status == 400, "\(held.text)")
        #expect(held.object["message"] as? String == "The interface with this MAC address is the amphora's own")
        #expect(held.object["details"] as? String == "\(rootEnd): it holds 192.0.2.201")
        let vip = try agent.request("POST", "/1.0/plug/vip/203.0.113.100", body: Self.json(PluggableAmphora.vipBody(subnet: "203.0.113.0/24", gateway: "203.0.113.1", mac: mac)))
        #expect(vip.status == 400, "\(vip.text)")
        #expect(try stillInRoot())
        // Without its address (a lost lease, say) it stays the amphora's own: this helper saw it hold one.
        try Shell.run("/usr/sbin/ip", ["addr", "del", "192.0.2.201/32", "dev", rootEnd])
        let held2 = try agent.request("POST", "/1.0/plug/network", body: network)
        #expect(held2.status == 400, "\(held2.text)")
        #expect(held2.object["details"] as? String == "\(rootEnd): it held addresses when this helper listed the links before", "\(held2.text)")
        #expect(try stillInRoot())

        // A second link with the same MAC: which one the controller means is unknown.
        try net.peer.addPort(rootName: "wa\(net.suffix)", rootMAC: mac, peerName: "wb\(net.suffix)", peerAddress: nil)
        let shared = try agent.request("POST", "/1.0/plug/network", body: network)
        #expect(shared.status == 400, "\(shared.text)")
        #expect((shared.object["details"] as? String)?.hasSuffix("2 links have its MAC address") == true, "\(shared.text)")
        #expect(try stillInRoot())
        try Shell.run("/usr/sbin/ip", ["link", "delete", "wa\(net.suffix)"])

        // A macvlan of the root namespace runs over it (its own MAC, no address): the lower link stays.
        try Shell.run("/usr/sbin/ip", ["link", "add", "mv\(net.suffix)", "link", rootEnd, "type", "macvlan"])
        let lower = try agent.request("POST", "/1.0/plug/network", body: network)
        #expect(lower.status == 400, "\(lower.text)")
        #expect(lower.object["details"] as? String == "\(rootEnd): mv\(net.suffix) runs over it", "\(lower.text)")
        #expect(try stillInRoot())
        try Shell.run("/usr/sbin/ip", ["link", "delete", "mv\(net.suffix)"])

        // A plain hot-plugged port: plugged, and the refusals left nothing to replay after a restart.
        let fresh = try net.attachPort("f", peerAddress: "203.0.113.2/24")
        let plugged = try agent.request("POST", "/1.0/plug/network", body: PluggableAmphora.networkBody(
            mac: fresh, fixedIPs: [["ip_address": "203.0.113.5", "subnet_cidr": "203.0.113.0/24", "gateway": "203.0.113.2", "host_routes": []]]))
        #expect(plugged.status == 202, "\(plugged.text)")
        #expect(plugged.object["details"] as? String == "Plugged on interface eth1")
        // A link holding an address when the helper starts is remembered at once, before any plug lists the links.
        let own = try net.attachPort("g", peerAddress: "198.51.100.3/24")
        try Shell.run("/usr/sbin/ip", ["addr", "add", "192.0.2.202/32", "dev", "ga\(net.suffix)"])
        // The listing runs beside the start: its outcome in the audit log says it is done.
        func listings() -> Int {
            let text = (try? String(contentsOfFile: agent.auditLog, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").filter { $0.contains("exec-outcome") && $0.contains("\"list-own-links\"") }.count
        }
        let listed = listings()
        try agent.restart()
        #expect(waitUntil { listings() > listed }, "the start-up listing left no outcome in the audit log")
        #expect(try agent.request("GET", "/1.0/interface/203.0.113.5").object["interface"] as? String == "eth1")
        try Shell.run("/usr/sbin/ip", ["addr", "del", "192.0.2.202/32", "dev", "ga\(net.suffix)"])
        let remembered = try agent.request("POST", "/1.0/plug/network", body: PluggableAmphora.networkBody(
            mac: own, fixedIPs: [["ip_address": "198.51.100.6", "subnet_cidr": "198.51.100.0/24", "gateway": "198.51.100.3", "host_routes": []]]))
        #expect(remembered.status == 400, "\(remembered.text)")
        #expect(remembered.object["details"] as? String == "ga\(net.suffix): it held addresses when this helper listed the links before")
    }

    @Test("plug network (both versions), v0.1 plug VIP, lookups and every invalid input")
    func plugNetworkAndErrors() throws {
        let net = try PluggableAmphora(attaching: [("m", "198.51.100.1/24"), ("s", "192.0.2.1/24")])
        let (amphoraNS, ports, agent, memberMAC, seedMAC) = (net.amphoraNS, net.peer, net.agent, net.macs[0], net.macs[1])
        defer { agent.stop() }
        let strayMAC = Self.mac(4)

        let network = PluggableAmphora.networkBody(
            mac: memberMAC, fixedIPs: [["ip_address": "198.51.100.5", "subnet_cidr": "198.51.100.0/24", "gateway": "198.51.100.1", "host_routes": []]],
            ["mtu": 1450])
        let plugged = try agent.request("POST", "/1.0/plug/network", body: network)
        #expect(plugged.status == 202, "\(plugged.text)")
        #expect(plugged.object["details"] as? String == "Plugged on interface eth1")
        #expect(try agent.request("POST", "/1.0/plug/network", body: network).object["details"] as? String == "Updated existing interface eth1")
        #expect(try agent.request("GET", "/v0.1/interface/198.51.100.5").object["interface"] as? String == "eth1")
        #expect(ports.get("http://198.51.100.5:1/") == nil)  // reachable link, nothing listening: no crash either way

        let seed = try agent.request(
            "POST", "/v0.1/plug/vip/192.0.2.50", body: Self.json(["subnet_cidr": "192.0.2.0/24", "gateway": "192.0.2.1", "mac_address": seedMAC]))
        #expect(seed.status == 202, "\(seed.text)")
        #expect(seed.object["details"] as? String == "VIP 192.0.2.50 plugged on interface eth2")
        let seedNetwork = try agent.request("POST", "/v0.1/plug/network", body: Self.json(["mac_address": strayMAC]))
        #expect(seedNetwork.status == 404)
        #expect(seedNetwork.headers["content-type"] == "application/json")
        #expect(seedNetwork.object["details"] as? String == "No suitable network interface found")

        let unknown = try agent.request(
            "POST", "/1.0/plug/vip/203.0.113.7", body: Self.json(["subnet_cidr": "203.0.113.0/24", "gateway": "203.0.113.1", "mac_address": strayMAC]))
        #expect(unknown.status == 404)
        #expect(unknown.object["details"] as? String == "No suitable network interface found")

        let missing = try agent.request("GET", "/1.0/interface/203.0.113.99")
        #expect(missing.status == 404)
        #expect(missing.object["message"] as? String == "Error interface not found for IP address")
        #expect(try agent.request("GET", "/v0.1/interface/10.6.0.1.1").object["message"] as? String == "Bad IP address version")
        #expect(try agent.request("GET", "/1.0/interface/999.1.1.1").status == 400)

        let invalid: [(String, [String: Any])] = [
            ("999.1.1.1", ["subnet_cidr": "203.0.113.0/24", "gateway": "203.0.113.1", "mac_address": strayMAC]),
            ("203.0.113.7", ["subnet_cidr": "203.0.113.5/24", "gateway": "203.0.113.1", "mac_address": strayMAC]),
            // A gateway outside the subnet is routed onlink (NetworkControllerTests); one of the other family is refused.
            ("203.0.113.7", ["subnet_cidr": "203.0.113.0/24", "gateway": "2001:db8::1", "mac_address": strayMAC]),
            ("203.0.113.7", ["subnet_cidr": "198.51.100.0/24", "gateway": "198.51.100.1", "mac_address": strayMAC]),
            ("203.0.113.7", ["subnet_cidr": "203.0.113.0/24", "gateway": "203.0.113.1", "mac_address": "aa-bb-cc-dd-ee-ff"]),
            ("203.0.113.7", ["subnet_cidr": "203.0.113.0/24", "gateway": "203.0.113.1", "mac_address": "ff:ff:ff:ff:ff:ff"]),
            ("203.0.113.7", ["subnet_cidr": "203.0.113.0/24", "gateway": "203.0.113.1", "mac_address": strayMAC, "mtu": 67]),
            ("203.0.113.7", ["subnet_cidr": "203.0.113.0/24", "gateway": "203.0.113.1", "mac_address": strayMAC, "mtu": "1500"]),
            ("203.0.113.7", ["subnet_cidr": "203.0.113.0/24", "gateway": "203.0.113.1", "mac_address": strayMAC, "vrrp_ip": "192.0.2.9"]),
            ("203.0.113.7", ["gateway": "203.0.113.1", "mac_address": strayMAC]),
            ("::ffff:1.2.3.4", ["subnet_cidr": "203.0.113.0/24", "gateway": "203.0.113.1", "mac_address": strayMAC]),
            ("203.0.113.7", ["subnet_cidr": "203.0.113.0/24", "gateway": "203.0.113.1", "mac_address": strayMAC,
                             "host_routes": Array(repeating: ["destination": "192.0.2.0/24", "nexthop": "203.0.113.1"], count: 2)]),
            // Only a unicast host of its subnet is an address; gateways and next hops are unicast.
            ("203.0.113.255", ["subnet_cidr": "203.0.113.0/24", "gateway": "203.0.113.1", "mac_address": strayMAC]),
            ("224.0.0.18", ["subnet_cidr": "224.0.0.0/24", "mac_address": strayMAC]),
            ("127.0.0.2", ["subnet_cidr": "127.0.0.0/8", "mac_address": strayMAC]),
            ("203.0.113.7", ["subnet_cidr": "203.0.113.0/24", "gateway": "255.255.255.255", "mac_address": strayMAC]),
            ("203.0.113.7", ["subnet_cidr": "203.0.113.0/24", "gateway": "203.0.113.1", "mac_address": strayMAC, "vrrp_ip": "203.0.113.0"]),
            ("203.0.113.7", ["subnet_cidr": "203.0.113.0/24", "gateway": "203.0.113.1", "mac_address": strayMAC,
                             "host_routes": [["destination": "192.0.2.0/24", "nexthop": "0.0.0.0"]]]),
        ]
        for (vip, body) in invalid {
            let r = try agent.request("POST", "/1.0/plug/vip/\(vip)", body: Self.json(body))
            #expect(r.status == 400, "\(vip) \(body): \(r.text)")
            #expect(r.headers["content-type"] == "application/json")
        }
        #expect(try agent.request("POST", "/1.0/plug/network", body: Data("not json".utf8)).status == 400)
        #expect(try agent.request("POST", "/1.0/plug/network", body: Self.json(["mac_address": memberMAC, "fixed_ips": [["ip_address": "203.0.113.5", "subnet_cidr": "198.51.100.0/24"]]])).status == 400)
        let multicastMember = try agent.request(
            "POST", "/1.0/plug/network", body: Self.json(["mac_address": memberMAC, "fixed_ips": [["ip_address": "ff02::1", "subnet_cidr": "ff02::/16"]]]))
        #expect(multicastMember.status == 400)
        #expect(multicastMember.headers["content-type"] == "application/json")
        // Nothing was left half-done: the stray MAC's port never existed, the member port is still eth1.
        let names = try #require(try amphoraNS.json(["link", "show"]) as? [[String: Any]]).compactMap { $0["ifname"] as? String }
        #expect(Set(names) == ["lo", "eth1", "eth2"])
    }
}
