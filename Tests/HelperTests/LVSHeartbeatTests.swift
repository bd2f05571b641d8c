import Foundation
import IPCProtocol
import Testing
@testable import Helper
@testable import LinuxNetlink
@testable import LinuxSystem
@testable import ProgramLauncher

/// UDP listeners in the heartbeat: what a stored configuration says (``LVSListenerLayout``), the IPVS
/// table's netlink answers (``IPVSTableReader``; the real kernel's in LVSRunningTests), upstream's
/// member and pool rules (``LVSListenerSample``) and the deltas (``HeartbeatStats/reduce(_:udp:previous:keepalived:)``).
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

    /// The table for that listener as the kernel holds it: member 2 drained, plus a TCP service and
    /// an IPv6 UDP service that are not ours.
    static func table(withoutFirstMember: Bool = false) throws -> IPVSTable {
        var servers = [
            try endpoint("192.0.2.21", 53): IPVSTable.RealServer(weight: 1, activeConnections: 2),
            try endpoint("192.0.2.22", 53): IPVSTable.RealServer(weight: 0, activeConnections: 1),
        ]
        if withoutFirstMember { servers[try endpoint("192.0.2.21", 53)] = nil }
        return IPVSTable(services: [
            IPVSTable.Key(protocolName: "TCP", endpoint: try endpoint("198.51.100.7", 80)):
                IPVSTable.Service(connections: 9, inBytes: 9000, outBytes: 8000, realServers: [:]),
            IPVSTable.Key(protocolName: "UDP", endpoint: try endpoint("203.0.113.100", 53)):
                IPVSTable.Service(connections: 3, inBytes: 480, outBytes: 1400, realServers: servers),
            IPVSTable.Key(protocolName: "UDP", endpoint: try endpoint("2001:db8::1", 53)): IPVSTable.Service(),
        ])
    }

    typealias R = IPVSTableReader

    /// A nested netlink attribute (NLA_F_NESTED set, as the kernel sends it).
    static func nested(_ type: UInt16, _ children: [[UInt8]]) -> [UInt8] { Netlink.attribute(type | 0x8000, children.flatMap { $0 }) }
    static func address(_ bytes: [UInt8]) -> [UInt8] { bytes + [UInt8](repeating: 0, count: 16 - bytes.count) }

    @Test("the IPVS netlink answers: a service with 64-bit counters, its destinations, IPv6, fwmark services left out")
    func netlinkParsing() throws {
        let service = Self.nested(R.attrService, [
            Netlink.attribute(R.serviceFamily, Netlink.le(UInt16(AF_INET))),
            Netlink.attribute(R.serviceProtocol, Netlink.le(UInt16(17))),
            Netlink.attribute(R.serviceAddress, Self.address([203, 0, 113, 100])),
            Netlink.attribute(R.servicePort, [0, 53]),
            Netlink.attribute(R.serviceFirewallMark, Netlink.le(UInt32(0))),
            Netlink.attribute(6, Array("rr".utf8) + [0]),
            Self.nested(R.serviceStats64, [
                Netlink.attribute(R.statsConnections, Netlink.le(UInt64(3))), Netlink.attribute(2, Netlink.le(UInt64(12))),
                Netlink.attribute(R.statsInBytes, Netlink.le(UInt64(480))), Netlink.attribute(R.statsOutBytes, Netlink.le(UInt64(1 << 40))),
            ]),
        ])
        let body = ArraySlice([UInt8](repeating: 0, count: 4) + service)
        let nestedService = try #require(Netlink.attributes(body, from: 4)[R.attrService])
        let (key, identity, counters) = try #require(R.parseService(nestedService))
        #expect(key == IPVSTable.Key(protocolName: "UDP", endpoint: try Self.endpoint("203.0.113.100", 53)))
        #expect(counters == IPVSTable.Service(connections: 3, inBytes: 480, outBytes: 1 << 40, realServers: [:]))
        // What identifies the service in the destination request: family, protocol, address, port.
        #expect(Netlink.attributes(ArraySlice(identity), from: 0).keys.sorted() == [R.serviceFamily, R.serviceProtocol, R.serviceAddress, R.servicePort])

        let destination = Self.nested(R.attrDestination, [
            Netlink.attribute(R.destinationAddress, Self.address([0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [0x21])),
            Netlink.attribute(R.destinationPort, [0x14, 0xe9]),
            Netlink.attribute(R.destinationWeight, Netlink.le(Int32(0))),
            Netlink.attribute(R.destinationActiveConnections, Netlink.le(UInt32(7))),
            Netlink.attribute(R.destinationFamily, Netlink.le(UInt16(AF_INET6))),
        ])
        let nestedDestination = try #require(Netlink.attributes(ArraySlice([0, 0, 0, 0] + destination), from: 4)[R.attrDestination])
        let (server, state) = try #require(R.parseDestination(nestedDestination, serviceFamily: .v4))
        #expect(server.description == "[2001:db8::21]:5353")
        #expect(state == IPVSTable.RealServer(weight: 0, activeConnections: 7))

        let fwmark = Self.nested(R.attrService, [
            Netlink.attribute(R.serviceFamily, Netlink.le(UInt16(AF_INET))), Netlink.attribute(R.serviceFirewallMark, Netlink.le(UInt32(5))),
        ])
        #expect(R.parseService(try #require(Netlink.attributes(ArraySlice(fwmark), from: 0)[R.attrService])) == nil)
    }

    @Test("without a netlink socket in the namespace, reading fails and says why")
    func unavailable() {
        let reader = IPVSTableReader.open(netns: "amphora-no-such-namespace-\(getpid())")
        #expect(throws: SystemError.self) { try reader.read() }
    }

    @Test("upstream's member rules: UP, DRAIN at weight 0, MAINT when disabled, DOWN or RESTARTING when taken out")
    func memberRules() throws {
        let id = try ResourceID(validating: Self.listener)
        let layout = LVSListenerLayout(config: Self.config())
        let full = try Self.table()
        let sample = LVSListenerSample(listener: id, layout: layout, table: full, restarting: false)
        #expect(sample.inBytes == 480 && sample.outBytes == 1400 && sample.connections == 3 && sample.active == 3)
        #expect(sample.pool == PoolHeartbeat(key: Self.pool, status: "UP", members: [
            MemberStatus(name: Self.member1, status: "UP"), MemberStatus(name: Self.member2, status: "DRAIN"),
            MemberStatus(name: Self.member3, status: "MAINT"),
        ]))
        // keepalived's checker took member 1 out of the table.
        let withoutFirst = try Self.table(withoutFirstMember: true)
        #expect(LVSListenerSample(listener: id, layout: layout, table: withoutFirst, restarting: false).pool?.members.first?.status == "DOWN")
        #expect(LVSListenerSample(listener: id, layout: layout, table: withoutFirst, restarting: true).pool?.members.first?.status == "RESTARTING")
        // Nothing in the table: a monitored pool is DOWN, an unmonitored one UP with members "no check".
        let empty = IPVSTable()
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
        let first = LVSListenerSample(listener: id, layout: layout, table: try Self.table(), restarting: false)
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
        // Its service not in the table this time (keepalived re-creating it): no traffic reported and
        // the baseline kept, so the next measured heartbeat counts the bytes once.
        let unmeasured = LVSListenerSample(listener: id, layout: layout, table: IPVSTable(), restarting: false)
        #expect(!unmeasured.measured && first.measured)
        let (gap, kept) = HeartbeatStats.reduce([], udp: [unmeasured], previous: baseline, keepalived: .notConfigured)
        #expect(gap.listeners == [ListenerHeartbeat(id: Self.listener, status: "OPEN", tx: 0, rx: 0, conns: 0, totconns: 0, ereq: 0)])
        #expect(kept == baseline)
        let (_, none) = HeartbeatStats.reduce([], udp: [unmeasured], previous: [:], keepalived: .notConfigured)
        #expect(none.isEmpty)
    }
}
