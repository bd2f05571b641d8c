import Foundation
import Testing

extension LVSRunningTests {
    /// The counts of completed gratuitous ARPs for the VIP in the audit log.
    static func announcements(_ agent: AgentHarness) throws -> Int {
        try NetworkControllerTests.completed(agent, operation: "gratuitous-arp", address: vip)
    }

    @Test("plugged ports as the controller plugs them: a member with no route back through the amphora answers through the VIP (masquerade), the VIP is announced after the start")
    func memberWithoutRouteBack() throws {
        let amp = try TestNamespace(), client = try TestNamespace(), members = try TestNamespace()
        let suffix = String(client.name.suffix(6))
        let vipMAC = NetworkTests.mac(11), memberMAC = NetworkTests.mac(12)
        // The VIP port's other end is the client (203.0.113.10); the member port's other end is the
        // members' namespace, whose only route is its own subnet: no way back to 203.0.113.10.
        try client.addPort(rootName: "la\(suffix)", rootMAC: vipMAC, peerName: "lb\(suffix)", peerAddress: "203.0.113.10/24")
        try members.addPort(rootName: "lc\(suffix)", rootMAC: memberMAC, peerName: "ld\(suffix)", peerAddress: "192.0.2.21/24")
        try members.run(["/usr/sbin/ip", "addr", "add", "192.0.2.22/24", "dev", "ld\(suffix)"])
        try members.run(["/usr/sbin/sysctl", "-qw", "net.ipv4.icmp_ratelimit=0"])
        try members.start(["/usr/bin/python3", "-c", """
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("0.0.0.0", 53))
            while True:
                data, peer = s.recvfrom(2048)
                try:
                    s.sendto(data * 2, peer)
                except OSError:
                    pass  # no route back to peer: the masquerade is missing
            """])

        // The nat and conntrack modules the masquerade needs, loaded before the agent's requests run
        // into the harness's 30 s under emulation (the kernel would load them on the first nft load).
        _ = try? Shell.run("/usr/sbin/modprobe", ["-a", "nf_nat", "nft_chain_nat", "nft_masq", "nf_conntrack"], check: false)

        let agent = try AgentHarness(extraConfig: "netns = \(amp.name)")
        let basePath = try LVSListenerTests.relocateBasePath(agent)
        defer { try? FileManager.default.removeItem(atPath: basePath) }
        try agent.start()
        defer { agent.stop() }
        // Direct mode sets amphora-netns's sysctls in the namespace (the test sets none itself).
        for (key, value) in [("net.ipv4.ip_forward", "1"), ("net.ipv4.vs.conntrack", "1"), ("net.ipv4.vs.expire_nodest_conn", "1")] {
            #expect(try amp.run(["/usr/sbin/sysctl", "-n", key]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == value, "\(key)")
        }

        print("memberWithoutRouteBack: plug VIP")
        let vipPlug = try agent.request(
            "POST", "/1.0/plug/vip/\(Self.vip)",
            body: NetworkTests.json([
                "subnet_cidr": "203.0.113.0/24", "gateway": "203.0.113.10", "mac_address": vipMAC, "mtu": 1500,
                "host_routes": [], "additional_vips": [], "is_sriov": false,
            ]))
        try #require(vipPlug.status == 202, "\(vipPlug.text)")
        let memberBody = NetworkTests.json([
            "mac_address": memberMAC, "mtu": 1500, "is_sriov": false,
            "fixed_ips": [["ip_address": "192.0.2.1", "subnet_cidr": "192.0.2.0/24", "host_routes": []]],
        ])
        print("memberWithoutRouteBack: plug member network")
        let memberPlug = try agent.request("POST", "/1.0/plug/network", body: memberBody)
        try #require(memberPlug.status == 202, "\(memberPlug.text)")

        let listener = UUID().uuidString.lowercased()
        print("memberWithoutRouteBack: upload the UDP listener")
        let upload = try agent.request(
            "PUT", "/1.0/listeners/\(AgentHarness.amphoraID)/\(listener)/udp_listener",
            body: Data(Self.config(netns: amp.name, basePath: basePath, listener: listener).utf8))
        #expect(upload.status == 200, "\(upload.text)")
        let announcedBefore = try Self.announcements(agent)
        print("memberWithoutRouteBack: start the UDP listener")
        let started = try agent.request("PUT", "/1.0/loadbalancer/\(listener)/start")
        try #require(started.status == 202, "\(started.text)\n\(agent.log())")
        #expect(try Self.announcements(agent) == announcedBefore + 1, "SINGLE: gratuitous ARP for the VIP after the LVS start")
        let table = { (try? amp.run(["/usr/sbin/ipvsadm", "-Ln"]).stdout) ?? "" }
        #expect(waitUntil(20) { table().contains("192.0.2.21:53") }, "the check found the member:\n\(table())")

        #expect(try Self.sendFlows(from: client, flows: 10) == 10, "every datagram came back although the member has no route to the client")

        // Without the masquerade the member's replies have nowhere to go: new flows are lost.
        try amp.run(["/usr/sbin/nft", "delete", "table", "ip", "octavia-ipv4"])
        #expect(try Self.sendFlows(from: client, flows: 3) == 0, "the masquerade is what makes the member answer")

        // (That a re-plug replaces the table and the replay after a restart loads it again is proven
        // on the host, NetworkControllerTests. In the emulated guest (TCG, sharing two cores) one run's
        // restart did not answer within the harness's 60 s, another's re-plug request hit its 30 s.)
    }
}
