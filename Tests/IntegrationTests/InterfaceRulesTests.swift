import Foundation
import Testing

/// `PUT /1.0/interface/:ip/rules`: the rules become table `inet amphora_table` in the amphora
/// namespace (loaded with `nft -f` through the launcher); traffic the rules do not accept is dropped.
@Suite("Interface rules", .serialized, .timeLimit(.minutes(3)))
struct InterfaceRulesTests {
    static func json(_ object: Any) -> Data { (try? JSONSerialization.data(withJSONObject: object)) ?? Data() }

    @Test("rules render to inet amphora_table (nft -j), allowed traffic passes, the rest is dropped; bad bodies 400, unknown address 404")
    func rules() throws {
        let amphoraNS = try TestNamespace()
        let client = try TestNamespace()
        let suffix = String(client.name.suffix(6))
        let vipMAC = "02:a6:" + (0..<4).map { _ in String(format: "%02x", Int.random(in: 0...255)) }.joined(separator: ":")
        try client.addPort(rootName: "ra\(suffix)", rootMAC: vipMAC, peerName: "rb\(suffix)", peerAddress: "203.0.113.10/24")
        let agent = try AgentHarness(extraConfig: "netns = \(amphoraNS.name)")
        try agent.start()
        defer { agent.stop() }

        let plug = try agent.request("POST", "/1.0/plug/vip/203.0.113.100", body: Self.json([
            "subnet_cidr": "203.0.113.0/24", "gateway": "203.0.113.10", "mac_address": vipMAC, "mtu": 1500,
            "vrrp_ip": NSNull(), "host_routes": [], "additional_vips": [], "is_sriov": false,
        ]))
        #expect(plug.status == 202, "\(plug.text)")
        for port in [8080, 8081, 8082] { try amphoraNS.startBackend(port: port, body: "port \(port)", address: "0.0.0.0") }
        // Before any rules: everything reaches the servers.
        #expect(client.get("http://203.0.113.100:8081/") == "port 8081")

        let rules: [[String: Any]] = [
            ["protocol": "TCP", "cidr": "203.0.113.0/24", "port": 8080],
            ["protocol": "TCP", "cidr": "198.51.100.0/24", "port": 8082],
            ["protocol": "UDP", "cidr": NSNull(), "port": 53],
            ["protocol": "SCTP", "cidr": "2001:db8::/64", "port": 9000],
            ["protocol": "VRRP", "cidr": "0.0.0.0/0", "port": 112],
        ]
        let put = try agent.request("PUT", "/1.0/interface/203.0.113.100/rules", body: Self.json(rules))
        #expect(put.status == 200, "\(put.text)")
        #expect(put.object["message"] as? String == "OK")

        // The loaded ruleset, as the kernel reports it.
        let listing = try amphoraNS.run(["/usr/sbin/nft", "-j", "list", "ruleset"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(listing.stdout.utf8)) as? [String: Any])
        let objects = document["nftables"] as? [[String: Any]] ?? []
        let tables = objects.compactMap { $0["table"] as? [String: Any] }
        #expect(tables.contains { $0["family"] as? String == "inet" && $0["name"] as? String == "amphora_table" })
        let chains = objects.compactMap { $0["chain"] as? [String: Any] }
        let input = try #require(chains.first { $0["name"] as? String == "amphora_chain" })
        #expect(input["hook"] as? String == "input")
        #expect(input["policy"] as? String == "drop")
        #expect(chains.contains { $0["name"] as? String == "amphora_vip_chain" })
        let vipRules = objects.compactMap { $0["rule"] as? [String: Any] }.filter { $0["chain"] as? String == "amphora_vip_chain" }
        // `nft -o` (as upstream loads it) may merge rules into sets: at least one rule per protocol.
        #expect(vipRules.count >= 4, "\(listing.stdout)")
        let text = try amphoraNS.run(["/usr/sbin/nft", "list", "table", "inet", "amphora_table"]).stdout
        for expected in [
            "iifname \"eth1\" goto amphora_vip_chain", "203.0.113.0/24 . 8080", "198.51.100.0/24 . 8082",
            "udp dport 53 accept", "ip6 saddr 2001:db8::/64 sctp dport 9000 accept",
            "ip protocol vrrp accept",
        ] {
            #expect(text.contains(expected), "missing \(expected) in\n\(text)")
        }
        let stored = agent.directory + "/base/nftables-vip.rules"
        #expect((try? FileManager.default.attributesOfItem(atPath: stored)[.posixPermissions] as? Int) == 0o600)

        // Traffic: allowed port from the allowed subnet passes; other ports and other sources are dropped.
        #expect(client.get("http://203.0.113.100:8080/") == "port 8080")
        #expect(client.get("http://203.0.113.100:8081/") == nil, "a port outside the rules must be dropped")
        #expect(client.get("http://203.0.113.100:8082/") == nil, "a source outside the rule's cidr must be dropped")
        // Loopback inside the namespace is still accepted.
        #expect(amphoraNS.get("http://127.0.0.1:8081/") == "port 8081")

        // Replacing the rules replaces the table (one transaction), e.g. opening 8081 to anyone.
        let replaced = try agent.request("PUT", "/1.0/interface/203.0.113.100/rules", body: Self.json([
            ["protocol": "TCP", "cidr": NSNull(), "port": 8081],
        ]))
        #expect(replaced.status == 200, "\(replaced.text)")
        #expect(client.get("http://203.0.113.100:8081/") == "port 8081")
        #expect(client.get("http://203.0.113.100:8080/") == nil)

        // Bodies outside the schema: 400 in werkzeug's shape; the loaded rules stay.
        let bad: [Any] = [
            ["protocol": "ICMP", "cidr": NSNull(), "port": 1],
            [["protocol": "TCP", "cidr": NSNull(), "port": 0]],
            [["protocol": "TCP", "cidr": NSNull(), "port": 65536]],
            [["protocol": "TCP", "port": 80]],
            [["protocol": "TCP", "cidr": NSNull(), "port": 80, "extra": 1]],
            [["protocol": "TCP", "cidr": "not-a-cidr", "port": 80]],
            [["protocol": "tcp", "cidr": NSNull(), "port": 80]],
            ["protocol": "TCP", "cidr": NSNull(), "port": 80],
        ]
        for body in bad {
            let response = try agent.request("PUT", "/1.0/interface/203.0.113.100/rules", body: Self.json(body))
            #expect(response.status == 400, "\(body): \(response.text)")
            #expect(response.object["error"] as? String == "400 Bad Request: Invalid rules information", "\(response.text)")
        }
        #expect(client.get("http://203.0.113.100:8081/") == "port 8081")
        // An address no interface holds: 404 first, as upstream (the lookup runs before the body is read).
        let unknown = try agent.request("PUT", "/1.0/interface/203.0.113.99/rules", body: Self.json([]))
        #expect(unknown.status == 404)
        #expect(unknown.object["message"] as? String == "Error interface not found for IP address")
        let invalid = try agent.request("PUT", "/1.0/interface/not-an-ip/rules", body: Self.json([]))
        #expect(invalid.status == 400)
        #expect(invalid.object["message"] as? String == "Invalid IP address")
    }
}
