import Foundation
import Testing

extension NetworkControllerTests {
    /// The rules of `chain` in table `family table` of `ns`, as `nft -j` lists them: each rule's
    /// interface match (`iifname`/`oifname` value) with its verdict-like statement name.
    static func masqueradeRules(_ ns: TestNamespace, family: String, table: String) throws -> [String] {
        let result = try ns.run(["/usr/sbin/nft", "-j", "list", "table", family, table], check: false)
        guard result.status == 0, let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
            let items = object["nftables"] as? [[String: Any]]
        else { return [] }
        return items.compactMap { item -> String? in
            guard let rule = item["rule"] as? [String: Any], let chain = rule["chain"] as? String,
                let expressions = rule["expr"] as? [[String: Any]]
            else { return nil }
            var words = [chain]
            for expression in expressions {
                if let match = expression["match"] as? [String: Any], let right = match["right"] {
                    words.append("\(right)")
                } else if let name = expression.keys.first {
                    words.append(name)
                }
            }
            return words.joined(separator: " ")
        }.sorted()
    }

    @Test("plugged ports get upstream's lvs-masquerade rules (UDP/SCTP masquerade, TCP notrack) per family; a re-plug replaces them, a restart replays them")
    func pluggedPortsAreMasqueraded() throws {
        let net = try PluggableAmphora(attaching: [("m", "203.0.113.10/24"), ("n", "2001:db8:2::1/64")])
        let (amphoraNS, agent, vipMAC, memberMAC) = (net.amphoraNS, net.agent, net.macs[0], net.macs[1])
        defer { agent.stop() }
        let other = try TestNamespace()
        let secondMAC = try net.attachPort("o", peerAddress: "198.51.100.1/24", in: other)
        // Direct mode plays amphora-netns.service: forwarding on in the amphora namespace.
        for key in ["net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding"] {
            #expect(try amphoraNS.run(["/usr/sbin/sysctl", "-n", key]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1", "\(key)")
        }

        try net.plugVIP("203.0.113.100", PluggableAmphora.vipBody(subnet: "203.0.113.0/24", gateway: "203.0.113.10", mac: vipMAC))
        let member = PluggableAmphora.networkBody(
            mac: memberMAC, fixedIPs: [["ip_address": "2001:db8:2::5", "subnet_cidr": "2001:db8:2::/64", "host_routes": []]])
        let plugged = try agent.request("POST", "/1.0/plug/network", body: member)
        #expect(plugged.status == 202, "\(plugged.text)")
        // A second IPv4 port: two rules in a row per chain (nft 1.0.6 crashes on those under -o).
        let second = try agent.request(
            "POST", "/1.0/plug/network",
            body: PluggableAmphora.networkBody(
                mac: secondMAC, fixedIPs: [["ip_address": "198.51.100.5", "subnet_cidr": "198.51.100.0/24", "host_routes": []]]))
        #expect(second.status == 202, "\(second.text)")

        let ipv4 = [
            "ip-sctp-masq eth1 sctp masquerade", "ip-sctp-masq eth3 sctp masquerade", "ip-udp-masq eth1 udp masquerade",
            "ip-udp-masq eth3 udp masquerade", "output eth1 tcp notrack", "output eth3 tcp notrack",
            "prerouting eth1 tcp notrack", "prerouting eth3 tcp notrack",
        ]
        let ipv6 = [
            "ip6-sctp-masq eth2 sctp masquerade", "ip6-udp-masq eth2 udp masquerade",
            "output eth2 tcp notrack", "prerouting eth2 tcp notrack",
        ]
        func expectRules(_ moment: String) throws {
            #expect(try Self.masqueradeRules(amphoraNS, family: "ip", table: "octavia-ipv4") == ipv4, "\(moment)")
            #expect(try Self.masqueradeRules(amphoraNS, family: "ip6", table: "octavia-ipv6") == ipv6, "\(moment)")
        }
        try expectRules("after the plugs")
        let stored = try String(contentsOfFile: agent.directory + "/base/nftables-masquerade.rules", encoding: .utf8)
        #expect(stored.hasPrefix("table ip octavia-ipv4 {}\ndelete table ip octavia-ipv4\n"), "\(stored)")

        // The controller's re-plug ("Updated existing interface"): replaced, never stacked.
        #expect(try agent.request("POST", "/1.0/plug/network", body: member).object["details"] as? String == "Updated existing interface eth2")
        try expectRules("after the re-plug")

        // An amphora reboot loses the tables; the agent's replay loads them again.
        agent.stop()
        try amphoraNS.run(["/usr/sbin/nft", "delete", "table", "ip", "octavia-ipv4"])
        try amphoraNS.run(["/usr/sbin/nft", "delete", "table", "ip6", "octavia-ipv6"])
        try agent.start()
        try expectRules("after the restart")
    }
}
