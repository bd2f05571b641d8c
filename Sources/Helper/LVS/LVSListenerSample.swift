import Glibc
import IPCProtocol

/// One running UDP listener's heartbeat data before deltas: its counters (absolute) and its pool.
struct LVSListenerSample: Equatable, Sendable {
    var listener: ResourceID
    var inBytes: UInt64 = 0
    var outBytes: UInt64 = 0
    var connections: UInt64 = 0
    /// Active connections of its real servers (the heartbeat's `conns`).
    var active: UInt64 = 0
    /// Keyed by the bare pool id (haproxy pools are `<pool>:<listener>`).
    var pool: PoolHeartbeat?
    /// Whether any of its virtual services was in the table: when none was (no VIP yet, or
    /// keepalived re-creating them), the counters are unknown rather than zero.
    var measured = false

    /// Upstream's rules. Counters: the sum over the listener's virtual services. Pool: absent without
    /// a `Pool` comment or without virtual addresses; otherwise each member is MAINT (disabled), DOWN
    /// (or RESTARTING when the configuration is newer than keepalived's checker) when keepalived has
    /// taken it out of the table, DRAIN at weight 0, else UP with a health monitor and `no check`
    /// without. With no member in the table at all, the pool is DOWN if it is health-monitored.
    init(listener: ResourceID, layout: LVSListenerLayout, table: IPVSTable, restarting: Bool) {
        self.listener = listener
        let keys = layout.virtualEndpoints.map { IPVSTable.Key(protocolName: layout.protocolName, endpoint: $0) }
        var realServers: [IPVSEndpoint: IPVSTable.RealServer] = [:]
        for key in keys {
            guard let service = table.services[key] else { continue }
            measured = true
            connections += service.connections
            inBytes += service.inBytes
            outBytes += service.outBytes
            for (endpoint, server) in service.realServers {
                active += server.activeConnections
                realServers[endpoint] = server
            }
        }
        guard let poolID = layout.poolID, !keys.isEmpty else { return }
        let missing = layout.healthMonitored ? (restarting ? "RESTARTING" : "DOWN") : "no check"
        let members = layout.members.map { member -> MemberStatus in
            guard let endpoint = member.endpoint else { return MemberStatus(name: member.id, status: "MAINT") }
            if realServers.isEmpty { return MemberStatus(name: member.id, status: missing) }
            guard let server = realServers[endpoint] else {
                return MemberStatus(name: member.id, status: restarting ? "RESTARTING" : "DOWN")
            }
            if server.weight == 0 { return MemberStatus(name: member.id, status: "DRAIN") }
            return MemberStatus(name: member.id, status: layout.healthMonitored ? "UP" : "no check")
        }
        let status = realServers.isEmpty && layout.healthMonitored && !layout.members.isEmpty ? "DOWN" : "UP"
        pool = PoolHeartbeat(key: poolID, status: status, members: members)
    }
}
