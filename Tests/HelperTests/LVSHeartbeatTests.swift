import Foundation
import IPCProtocol
import Testing

@testable import Helper

/// UDP listeners in the heartbeat: what a stored configuration says (``LVSListenerLayout``), the IPVS
/// table as ipvsadm prints it (``IPVSTable``), upstream's member and pool rules (``LVSListenerSample``)
/// and the deltas (``HeartbeatStats/reduce(_:udp:previous:keepalived:)``).
@Suite("UDP listeners in the heartbeat")
struct LVSHeartbeatTests {
    static let listener = "11111111-0000-4000-8000-000000000001"
    static let pool = "22222222-0000-4000-8000-000000000002"
    static let member1 = "33333333-0000-4000-8000-000000000003"
    static let member2 = "33333333-0000-4000-8000-000000000004"
    static let member3 = "33333333-0000-4000-8000-000000000005"

    /// Octavia 19.0.0's LVS template rendering (one VIP, a UDP-CONNECT health monitor, three members,
    /// the third disabled), as octavia/common/jinja/lvs/templates/macros.j2 writes it.
    static func config(check: Bool = true, listenerDisabled: Bool = false) -> String {
        let misc = check ? """
                    MISC_CHECK {
                        misc_path "/var/lib/octavia/lvs/check/udp_check.sh 192.0.2.21 53"
                        misc_timeout 5
                    }
            """ : ""
        return """
            # Configuration for Loadbalancer 44444444-0000-4000-8000-000000000006
            # Configuration for Listener \(listener)
            \(listenerDisabled ? "# Listener \(listener) is disabled" : "")
            net_namespace amphora-haproxy

            virtual_server_group ipv4-group {
                203.0.113.100 53
            }

            virtual_server group ipv4-group {
                lb_algo rr
                lb_kind NAT
                protocol UDP
                delay_loop 5
                delay_before_retry 5
                retry 3

                # Configuration for Pool \(pool)
                # Configuration for HealthMonitor 55555555-0000-4000-8000-000000000007
                # Configuration for Member \(member1)
                real_server 192.0.2.21 53 {
                    weight 1
            \(misc)
                }
                # Configuration for Member \(member2)
                real_server 192.0.2.22 53 {
                    weight 0
                }
                # Member \(member3) is disabled

            }

            """
    }

    static func endpoint(_ address: String, _ port: UInt16) throws -> IPVSEndpoint {
        IPVSEndpoint(address: try IPAddress(validating: address), port: port)
    }

    @Test("the layout: virtual addresses, protocol, pool, members in order with the disabled one, health check")
    func layout() throws {
        let layout = LVSListenerLayout(config: Self.config())
        #expect(!layout.listenerDisabled)
        #expect(layout.protocolName == "UDP")
        #expect(layout.virtualEndpoints == [try Self.endpoint("203.0.113.100", 53)])
        #expect(layout.poolID == Self.pool)
        #expect(layout.members == [
            LVSListenerLayout.Member(id: Self.member1, endpoint: try Self.endpoint("192.0.2.21", 53)),
            LVSListenerLayout.Member(id: Self.member2, endpoint: try Self.endpoint("192.0.2.22", 53)),
            LVSListenerLayout.Member(id: Self.member3, endpoint: nil),
        ])
        #expect(layout.healthMonitored)
        #expect(!LVSListenerLayout(config: Self.config(check: false)).healthMonitored)
        #expect(LVSListenerLayout(config: Self.config(listenerDisabled: true)).listenerDisabled)
        let v6 = LVSListenerLayout(config: "virtual_server_group ipv6-group {\n    2001:DB8::1 5353\n}\nvirtual_server 2001:db8::2 53 {\n}\n")
        #expect(v6.virtualEndpoints.map(\.description) == ["[2001:db8::1]:5353", "[2001:db8::2]:53"])
        #expect(v6.poolID == nil)
    }

    /// ipvsadm 1.31's `-Ln` and `-Ln --stats --exact` for that listener, member 2 drained, plus a
    /// TCP service and an IPv6 UDP service that are not ours: the layout captured from ipvsadm on
    /// Debian 12's kernel (scripts/with-ipvs-kernel.sh), with counters filled in.
    static let listing = """
        IP Virtual Server version 1.2.1 (size=4096)
        Prot LocalAddress:Port Scheduler Flags
          -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
        TCP  198.51.100.7:80 rr
          -> 192.0.2.30:80                Masq    1      4          0
        UDP  203.0.113.100:53 rr
          -> 192.0.2.21:53                Masq    1      2          0
          -> 192.0.2.22:53                Masq    0      1          0
        UDP  [2001:db8::1]:53 rr persistent 360
          -> [2001:db8::21]:53            Masq    1      0          0

        """
    static let stats = """
        IP Virtual Server version 1.2.1 (size=4096)
        Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes
          -> RemoteAddress:Port
        TCP  198.51.100.7:80                    9       90       80     9000     8000
          -> 192.0.2.30:80                       9       90       80     9000     8000
        UDP  203.0.113.100:53                    3       12       10      480     1400
          -> 192.0.2.21:53                       2        8        7      320     1000
          -> 192.0.2.22:53                       1        4        3      160      400
        UDP  [2001:db8::1]:53                    0        0        0        0        0
          -> [2001:db8::21]:53                   0        0        0        0        0

        """

    @Test("the IPVS table: columns by their header names, services keyed by protocol and address")
    func table() throws {
        let table = IPVSTable(listing: Self.listing, stats: Self.stats)
        #expect(table.services.count == 3)
        let udp = try #require(table.services[IPVSTable.Key(protocolName: "UDP", endpoint: try Self.endpoint("203.0.113.100", 53))])
        #expect(udp.connections == 3)
        #expect(udp.inBytes == 480)
        #expect(udp.outBytes == 1400)
        #expect(udp.realServers == [
            try Self.endpoint("192.0.2.21", 53): IPVSTable.RealServer(weight: 1, activeConnections: 2),
            try Self.endpoint("192.0.2.22", 53): IPVSTable.RealServer(weight: 0, activeConnections: 1),
        ])
        let v6 = try #require(table.services[IPVSTable.Key(protocolName: "UDP", endpoint: try Self.endpoint("2001:db8::1", 53))])
        #expect(v6.realServers.keys.map(\.description) == ["[2001:db8::21]:53"])
        #expect(table.services[IPVSTable.Key(protocolName: "UDP", endpoint: try Self.endpoint("198.51.100.7", 80))] == nil)
        #expect(IPVSTable(listing: "", stats: "").services.isEmpty)
    }

    @Test("upstream's member rules: UP, DRAIN at weight 0, MAINT when disabled, DOWN or RESTARTING when taken out")
    func memberRules() throws {
        let id = try ResourceID(validating: Self.listener)
        let layout = LVSListenerLayout(config: Self.config())
        let full = IPVSTable(listing: Self.listing, stats: Self.stats)
        let sample = LVSListenerSample(listener: id, layout: layout, table: full, restarting: false)
        #expect(sample.inBytes == 480 && sample.outBytes == 1400 && sample.connections == 3 && sample.active == 3)
        #expect(sample.pool == PoolHeartbeat(key: Self.pool, status: "UP", members: [
            MemberStatus(name: Self.member1, status: "UP"), MemberStatus(name: Self.member2, status: "DRAIN"),
            MemberStatus(name: Self.member3, status: "MAINT"),
        ]))
        // keepalived's checker took member 1 out of the table.
        let withoutFirst = IPVSTable(listing: Self.listing.replacingOccurrences(of: "  -> 192.0.2.21:53                Masq    1      2          0\n", with: ""), stats: Self.stats)
        #expect(LVSListenerSample(listener: id, layout: layout, table: withoutFirst, restarting: false).pool?.members.first?.status == "DOWN")
        #expect(LVSListenerSample(listener: id, layout: layout, table: withoutFirst, restarting: true).pool?.members.first?.status == "RESTARTING")
        // Nothing in the table: a monitored pool is DOWN, an unmonitored one UP with members "no check".
        let empty = IPVSTable(listing: "", stats: "")
        let down = LVSListenerSample(listener: id, layout: layout, table: empty, restarting: false)
        #expect(down.pool?.status == "DOWN")
        #expect(down.pool?.members.map(\.status) == ["DOWN", "DOWN", "MAINT"])
        #expect(down.inBytes == 0 && down.active == 0)
        let unmonitored = LVSListenerSample(listener: id, layout: LVSListenerLayout(config: Self.config(check: false)), table: empty, restarting: false)
        #expect(unmonitored.pool?.status == "UP")
        #expect(unmonitored.pool?.members.map(\.status) == ["no check", "no check", "MAINT"])
        // Without a virtual address (no enabled member yet upstream) there is no pool to report.
        let noVIP = LVSListenerLayout(config: "# Configuration for Pool \(Self.pool)\nnet_namespace amphora-haproxy\n")
        #expect(LVSListenerSample(listener: id, layout: noVIP, table: full, restarting: false).pool == nil)
    }

    @Test("heartbeat reduction: UDP listeners OPEN with deltas, pools under the bare pool id")
    func reduction() throws {
        let id = try ResourceID(validating: Self.listener)
        let layout = LVSListenerLayout(config: Self.config())
        let first = LVSListenerSample(listener: id, layout: layout, table: IPVSTable(listing: Self.listing, stats: Self.stats), restarting: false)
        let (report, baseline) = HeartbeatStats.reduce([], udp: [first], previous: [:], keepalived: .notConfigured)
        #expect(report.listeners == [ListenerHeartbeat(id: Self.listener, status: "OPEN", tx: 1400, rx: 480, conns: 3, totconns: 3, ereq: 0)])
        #expect(report.pools.map(\.key) == [Self.pool])
        var later = first
        later.inBytes = 500
        later.outBytes = 1500
        later.connections = 4
        later.active = 1
        let (second, _) = HeartbeatStats.reduce([], udp: [later], previous: baseline, keepalived: .notConfigured)
        #expect(second.listeners == [ListenerHeartbeat(id: Self.listener, status: "OPEN", tx: 100, rx: 20, conns: 1, totconns: 1, ereq: 0)])
        // keepalived restarted: the table's counters start again from zero; the current value is the delta.
        later.inBytes = 10
        let (third, _) = HeartbeatStats.reduce([], udp: [later], previous: baseline, keepalived: .notConfigured)
        #expect(third.listeners.first?.rx == 10)
    }

    @Test("ipvsadm runs inside the amphora namespace, read-only listings only")
    func ipvsadmShape() throws {
        let paths = ProgramPaths(haproxy: "/usr/sbin/haproxy", keepalived: "/usr/sbin/keepalived", basePath: "/var/lib/octavia")
        let netns = try InterfaceName(validating: "amphora-haproxy")
        #expect(LaunchCommand.ipvsList(netns: netns, stats: false).program == .ipvsadm)
        #expect(LaunchCommand.ipvsList(netns: netns, stats: false).namespace == netns)
        #expect(LaunchCommand.ipvsList(netns: netns, stats: false).arguments(paths) == ["-Ln"])
        #expect(LaunchCommand.ipvsList(netns: netns, stats: true).arguments(paths) == ["-Ln", "--stats", "--exact"])
    }
}
