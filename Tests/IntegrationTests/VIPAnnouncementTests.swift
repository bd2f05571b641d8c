import Foundation
import Testing

/// Gratuitous ARP after haproxy starts and reloads in SINGLE topology, as upstream's `start_stop_lb`
/// sends them (ours right after the answer, in the background): a peer on the VIP's segment (a packet
/// socket in a namespace the test creates) sees them.
@Suite("VIP announcements", .serialized, .timeLimit(.minutes(3)))
struct VIPAnnouncementTests {
    static let vip = "203.0.113.100"

    /// Records every gratuitous ARP for `vip` (sender and target address both the VIP) seen on `iface`,
    /// one line per packet in `out`; creates `out.ready` once the socket listens.
    static let capture = """
        import socket, sys
        iface, vip, out = sys.argv[1], sys.argv[2], sys.argv[3]
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0806))
        s.bind((iface, 0))
        open(out + ".ready", "w").close()
        target = socket.inet_aton(vip)
        while True:
            f = s.recv(2048)
            if len(f) >= 42 and f[12:14] == b"\\x08\\x06" and f[28:32] == target and f[38:42] == target:
                with open(out, "a") as o:
                    o.write("garp\\n")
        """

    func seen(_ path: String) -> Int {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    @Test("SINGLE: after haproxy starts and after it reloads, a peer on the VIP's segment sees gratuitous ARP for the VIP")
    func garpAfterStartAndReload() throws {
        let net = try PluggableAmphora(attaching: [("g", "203.0.113.10/24")])
        let (peer, suffix, agent, vipMAC) = (net.peer, net.suffix, net.agent, net.macs[0])
        defer { agent.stop() }
        try net.plugVIP(Self.vip, ["subnet_cidr": "203.0.113.0/24", "gateway": "203.0.113.10", "mac_address": vipMAC, "vrrp_ip": NSNull()])

        // Listening starts after the plug's own announcement has finished (the plug waits for arping).
        let out = agent.directory + "/garp-seen"
        try peer.start(["/usr/bin/python3", "-c", Self.capture, "gb\(suffix)", Self.vip, out])
        #expect(waitUntil { FileManager.default.fileExists(atPath: out + ".ready") })
        #expect(seen(out) == 0)

        let lb = try net.uploadListener(bind: "\(Self.vip):8080", server: "127.0.0.1:8081")
        #expect(seen(out) == 0, "an upload announces nothing")
        let start = try agent.request("PUT", "/1.0/loadbalancer/\(lb)/start")
        #expect(start.status == 202, "\(start.text)")
        // arping -U -c 2: two packets, both sent before the answer.
        #expect(waitUntil { seen(out) >= 2 }, "gratuitous ARP after the start")
        let afterStart = seen(out)

        let reload = try agent.request("PUT", "/1.0/loadbalancer/\(lb)/reload")
        #expect(reload.status == 202, "\(reload.text)")
        #expect(waitUntil { seen(out) > afterStart }, "gratuitous ARP after the reload")

        // Plug, start, reload: each announcement is an audited arping (the last one may still be running).
        #expect(waitUntil {
            let audit = (try? String(contentsOfFile: agent.auditLog, encoding: .utf8)) ?? ""
            return audit.split(separator: "\n").filter { $0.contains(#""event":"exec-outcome""#) && $0.contains(#""operation":"gratuitous-arp""#) }.count >= 3
        })
    }

    /// Records every unsolicited neighbour advertisement for `vip` (ICMPv6 type 136, target the VIP)
    /// seen on `iface`, one line per packet in `out`; creates `out.ready` once the socket listens.
    static let captureNA = """
        import socket, sys
        iface, vip, out = sys.argv[1], sys.argv[2], sys.argv[3]
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x86DD))
        s.bind((iface, 0))
        open(out + ".ready", "w").close()
        target = socket.inet_pton(socket.AF_INET6, vip)
        while True:
            f = s.recv(2048)
            if len(f) >= 78 and f[12:14] == b"\\x86\\xdd" and f[20] == 58 and f[54] == 136 and f[62:78] == target:
                with open(out, "a") as o:
                    o.write("na\\n")
        """

    func outcomes(_ agent: AgentHarness, _ operation: String) -> Int {
        let audit = (try? String(contentsOfFile: agent.auditLog, encoding: .utf8)) ?? ""
        return audit.split(separator: "\n").filter { $0.contains(#""event":"exec-outcome""#) && $0.contains(#""operation":"\#(operation)""#) }.count
    }

    @Test("SINGLE, IPv6 VIP: after haproxy starts and after it reloads, a peer sees an unsolicited neighbour advertisement for the VIP")
    func naAfterStartAndReload() throws {
        let net = try PluggableAmphora(attaching: [("n", "2001:db8:1::10/64")])
        let (peer, suffix, agent, vipMAC) = (net.peer, net.suffix, net.agent, net.macs[0])
        defer { agent.stop() }
        let vip = "2001:db8:1::100"
        try net.plugVIP(vip, ["subnet_cidr": "2001:db8:1::/64", "gateway": "2001:db8:1::10", "mac_address": vipMAC, "vrrp_ip": NSNull()])
        #expect(outcomes(agent, "unsolicited-na") == 1, "the plug announced the VIP")
        // na6 drops root (setgid, setuid): the launcher's filter lets it (it died of SIGSYS before).
        let audit = (try? String(contentsOfFile: agent.auditLog, encoding: .utf8)) ?? ""
        #expect(audit.split(separator: "\n").contains { $0.contains(#""operation":"unsolicited-na""#) && $0.contains(#""exit_code":0"#) })

        let out = agent.directory + "/na-seen"
        try peer.start(["/usr/bin/python3", "-c", Self.captureNA, "nb\(suffix)", vip, out])
        #expect(waitUntil { FileManager.default.fileExists(atPath: out + ".ready") })

        let lb = try net.uploadListener(bind: "\(vip):8080", server: "127.0.0.1:8081")
        let start = try agent.request("PUT", "/1.0/loadbalancer/\(lb)/start")
        #expect(start.status == 202, "\(start.text)")
        #expect(waitUntil { outcomes(agent, "unsolicited-na") >= 2 && seen(out) >= 1 }, "an unsolicited NA after the start: \(outcomes(agent, "unsolicited-na")) na6 runs, \(seen(out)) seen")
        let afterStart = seen(out)

        let reload = try agent.request("PUT", "/1.0/loadbalancer/\(lb)/reload")
        #expect(reload.status == 202, "\(reload.text)")
        #expect(waitUntil { seen(out) > afterStart }, "an unsolicited NA after the reload")
    }
}
