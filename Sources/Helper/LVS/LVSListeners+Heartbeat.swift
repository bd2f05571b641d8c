import Glibc
import IPCProtocol

// UDP (and SCTP) listeners in the heartbeat, as upstream's keepalivedlvs_query reports them
// (get_lvs_listeners_stats, get_lvs_listener_pool_status): every stored, enabled listener whose
// keepalived runs is OPEN; its counters and its pool's member states come from the kernel's IP
// Virtual Server table in the amphora namespace (``IPVSTable``, read over generic netlink where
// upstream runs `ipvsadm -Ln` and `ipvsadm -Ln --stats --exact`), matched against what the stored
// configuration says.

/// An IP Virtual Server address and port: `192.0.2.1 53` in a keepalived configuration, described
/// `192.0.2.1:53` or `[2001:db8::1]:53` as `ipvsadm -n` prints it.
struct IPVSEndpoint: Hashable, Sendable, CustomStringConvertible {
    var address: IPAddress
    var port: UInt16

    init(address: IPAddress, port: UInt16) {
        self.address = address
        self.port = port
    }

    /// The `ADDRESS PORT` words of a keepalived configuration.
    init?(address: Substring, port: Substring) {
        guard let ip = try? IPAddress(validating: String(address)), let number = UInt16(port) else { return nil }
        self.init(address: ip, port: number)
    }

    var description: String { address.family == .v6 ? "[\(address)]:\(port)" : "\(address):\(port)" }
}

/// What a UDP listener's stored keepalived configuration says about its load balancer, read from
/// the lines and comments Octavia's LVS template writes: `# Listener <id> is disabled`, the
/// `virtual_server_group` members (`ADDRESS PORT`, or an older `virtual_server ADDRESS PORT {`),
/// `protocol UDP|SCTP`, `# Configuration for Pool <id>`, each `# Configuration for Member <id>`
/// followed by its `real_server ADDRESS PORT {` or a `# Member <id> is disabled`, and whether the
/// real servers have a health check (`MISC_CHECK`, `HTTP_GET`, `TCP_CHECK`).
struct LVSListenerLayout: Equatable, Sendable {
    /// A pool member; `endpoint` is nil for a disabled one (reported `MAINT`).
    struct Member: Equatable, Sendable {
        var id: String
        var endpoint: IPVSEndpoint?
    }

    var listenerDisabled = false
    var protocolName = "UDP"
    var virtualEndpoints: [IPVSEndpoint] = []
    var poolID: String?
    var members: [Member] = []
    var healthMonitored = false

    init(config: String) {
        var pendingMember: String?
        var inGroup = false
        for line in config.split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard let first = words.first else { continue }
            if first == "#" {
                // "# Configuration for <Type> <id>" and "# <Type> <id> is disabled"; only UUIDs count.
                if words.count == 5, words[1] == "Configuration", words[2] == "for", let id = try? ResourceID(validating: String(words[4])) {
                    if words[3] == "Pool", poolID == nil { poolID = id.description }
                    if words[3] == "Member" { pendingMember = id.description }
                } else if words.count == 5, words[3] == "is", words[4] == "disabled", let id = try? ResourceID(validating: String(words[2])) {
                    if words[1] == "Listener" { listenerDisabled = true }
                    if words[1] == "Member" { members.append(Member(id: id.description, endpoint: nil)) }
                }
                continue
            }
            if inGroup {
                if first == "}" {
                    inGroup = false
                } else if words.count == 2, let endpoint = IPVSEndpoint(address: words[0], port: words[1]) {
                    virtualEndpoints.append(endpoint)
                }
                continue
            }
            switch first {
            case "virtual_server_group":
                inGroup = words.last == "{"
            case "virtual_server":
                if words.count == 4, let endpoint = IPVSEndpoint(address: words[1], port: words[2]) { virtualEndpoints.append(endpoint) }
            case "protocol":
                if words.count == 2 { protocolName = String(words[1]).uppercased() }
            case "real_server":
                if let id = pendingMember, words.count >= 3 {
                    members.append(Member(id: id, endpoint: IPVSEndpoint(address: words[1], port: words[2])))
                    pendingMember = nil
                }
            case "MISC_CHECK", "HTTP_GET", "TCP_CHECK":
                healthMonitored = true
            default:
                break
            }
        }
    }
}

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

extension LVSListeners {
    /// The running, enabled UDP listeners' samples. Reads the stored configurations and keepalived's
    /// pid files, and the IPVS table only when one of them has a virtual service: no process. A
    /// failed read is an error: the heartbeat is skipped rather than wrong.
    func heartbeatSamples(ipvs: IPVSTableReader) throws(CommandError) -> [LVSListenerSample] {
        guard let dir = try directory(create: false) else { return [] }
        var running: [(ResourceID, LVSListenerLayout, Bool)] = []
        for id in try storedListeners() {
            let stem = "\(Self.prefix)\(id)", name = Self.configName(id)
            guard KeepalivedProbe.isRunning(pidFile: stem + ".pid", in: dir), let text = try storedConfig(id) else { continue }
            let layout = LVSListenerLayout(config: text)
            guard !layout.listenerDisabled else { continue }
            // Configuration newer than keepalived's checker process: uploaded, not yet restarted.
            var restarting = false
            if let config = dir.modificationTime(name), let checker = dir.modificationTime(stem + ".check.pid") {
                restarting = config > checker
            }
            running.append((id, layout, restarting))
        }
        var table = IPVSTable(services: [:])
        if running.contains(where: { !$0.1.virtualEndpoints.isEmpty }) {
            do {
                table = try ipvs.read()
            } catch {
                throw CommandError(.internalError, "Cannot read the IP Virtual Server table", details: error.description)
            }
        }
        return running.map { LVSListenerSample(listener: $0.0, layout: $0.1, table: table, restarting: $0.2) }
    }
}
