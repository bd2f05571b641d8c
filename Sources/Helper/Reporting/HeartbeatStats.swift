import AgentConfig
import Glibc
import IPCProtocol
import LinuxSystem

/// The heartbeat's data: every running instance's `show stat`, reduced to listeners and pools, and
/// every running UDP listener (``LVSListenerSample``), with the listener counters turned into deltas
/// since the previous heartbeat.
///
/// The previous values live in `<base_path>/stats_counters.json` (0600, replaced atomically, written
/// only when a counter moved), so neither a helper nor a front restart reports traffic twice. A
/// counter lower than its stored value (haproxy restarted) reports its current value (upstream rule).
public final class HeartbeatStats: Sendable {

    /// The counters a listener's deltas are computed from.
    struct Counters: Codable, Equatable, Sendable {
        var key: String
        var bin: UInt64
        var bout: UInt64
        var stot: UInt64
        var ereq: UInt64
    }

    struct Stored: Codable, Equatable {
        var counters: [Counters]
    }

    let instances: HAProxyInstances
    let keepalived: KeepalivedProbe
    /// The UDP listeners and the IPVS table they are served by; nil where there are none (tests).
    let lvs: (listeners: LVSListeners, ipvs: IPVSTableReader)?
    /// nil until loaded from disk (first heartbeat).
    let previous = LockedValue<[String: Counters]?>(nil)

    /// `lvs` and the namespace whose IPVS table serves them (`netns`, opened now: call this before
    /// the helper confines itself).
    public init(instances: HAProxyInstances, keepalived: KeepalivedProbe, lvs: LVSListeners? = nil, netns: String? = nil) {
        self.instances = instances
        self.keepalived = keepalived
        if let lvs, let netns { self.lvs = (lvs, IPVSTableReader.open(netns: netns)) } else { self.lvs = nil }
    }

    /// The next heartbeat's content (consumes the deltas).
    public func report() throws(ReportingError) -> HeartbeatReport {
        let keepalivedState = keepalived.state()
        guard keepalivedState != .stopped else { return HeartbeatReport(keepalived: keepalivedState, listeners: [], pools: []) }
        let udp: [LVSListenerSample]
        do {
            udp = try lvs.map { lvs throws(LVSError) in try lvs.listeners.heartbeatSamples(ipvs: lvs.ipvs) } ?? []
        } catch {
            throw .lvs(error)
        }
        let configured: [HAProxyInstances.Configured]
        do {
            configured = try instances.configuredInstances()
        } catch {
            throw .haproxy(error)
        }
        var rows: [(ResourceID, [HAProxyStatsSocket.Row])] = []
        for instance in configured {
            // Only instances whose haproxy answers (upstream: whose pid is alive).
            guard let csv = try? HAProxyStatsSocket.query(instance.statsSocket, "show stat", timeoutSeconds: 2) else { continue }
            rows.append((instance.id, HAProxyStatsSocket.parseStat(csv)))
        }
        return try previous.withLock { (stored: inout [String: Counters]?) throws(ReportingError) -> HeartbeatReport in
            let old = stored ?? load()
            let (report, current) = Self.reduce(rows, udp: udp, previous: old, keepalived: keepalivedState)
            if current != old {
                do {
                    let list = current.values.sorted { $0.key < $1.key }
                    try instances.base.writeAtomically(StateLayout.heartbeatCountersFile, try StrictJSON.encode(Stored(counters: list)), mode: 0o600)
                } catch {
                    // Not stored: keep the old baseline, so the next heartbeat reports these bytes again rather than never.
                    stored = old
                    throw .countersNotStored(details: "\(error)")
                }
            }
            stored = current
            return report
        }
    }

    func load() -> [String: Counters] {
        guard let bytes = try? instances.base.read(StateLayout.heartbeatCountersFile, limit: 8 << 20),
            let stored = try? StrictJSON.decode(Stored.self, from: bytes)
        else { return [:] }
        var result: [String: Counters] = [:]
        for counters in stored.counters { result[counters.key] = counters }
        return result
    }

    /// The report and the new baseline from each instance's `show stat` rows and the UDP listeners'
    /// samples. Pure, for tests.
    static func reduce(
        _ instances: [(ResourceID, [HAProxyStatsSocket.Row])], udp: [LVSListenerSample] = [], previous: [String: Counters],
        keepalived: HeartbeatReport.Keepalived
    ) -> (HeartbeatReport, [String: Counters]) {
        func number(_ row: HAProxyStatsSocket.Row, _ field: String) -> UInt64 { UInt64(row.fields[field] ?? "") ?? 0 }
        func delta(_ new: UInt64, _ old: UInt64?) -> UInt64 {
            guard let old else { return new }
            return new >= old ? new - old : new
        }
        var listeners: [ListenerHeartbeat] = []
        var pools: [PoolHeartbeat] = []
        var current: [String: Counters] = [:]
        for (id, allRows) in instances {
            // haproxy's own prometheus exporter is not billed traffic.
            let rows = allRows.filter { !$0.proxy.contains("prometheus") }
            for row in rows where row.service == "FRONTEND" {
                let key = "\(id)/\(row.proxy)"
                let now = Counters(key: key, bin: number(row, "bin"), bout: number(row, "bout"), stot: number(row, "stot"), ereq: number(row, "ereq"))
                let old = previous[key]
                current[key] = now
                listeners.append(ListenerHeartbeat(
                    id: row.proxy, status: row.status, tx: delta(now.bout, old?.bout), rx: delta(now.bin, old?.bin),
                    conns: number(row, "scur"), totconns: delta(now.stot, old?.stot), ereq: delta(now.ereq, old?.ereq)))
            }
            for backend in rows where backend.service == "BACKEND" {
                let members = rows.filter { $0.proxy == backend.proxy && $0.service != "BACKEND" && $0.service != "FRONTEND" }.map { row in
                    // haproxy reports a drained server (weight 0) as UP; the controller expects DRAIN.
                    MemberStatus(name: row.service, status: row.status == "UP" && row.fields["weight"] == "0" ? "DRAIN" : row.status)
                }
                pools.append(PoolHeartbeat(key: backend.proxy, status: backend.status, members: members))
            }
        }
        for sample in udp {
            // Upstream keys a UDP listener's counters by its id; ours are namespaced apart from haproxy's.
            let key = "lvs/\(sample.listener)"
            let old = previous[key]
            guard sample.measured else {
                // Counters unknown this time: report none and keep the baseline, so that the traffic
                // is counted once, on the next measured heartbeat (a zero baseline would count it twice).
                if let old { current[key] = old }
                listeners.append(ListenerHeartbeat(id: sample.listener.description, status: "OPEN", tx: 0, rx: 0, conns: 0, totconns: 0, ereq: 0))
                if let pool = sample.pool { pools.append(pool) }
                continue
            }
            let now = Counters(key: key, bin: sample.inBytes, bout: sample.outBytes, stot: sample.connections, ereq: 0)
            current[key] = now
            listeners.append(ListenerHeartbeat(
                id: sample.listener.description, status: "OPEN", tx: delta(now.bout, old?.bout), rx: delta(now.bin, old?.bin),
                conns: sample.active, totconns: delta(now.stot, old?.stot), ereq: 0))
            if let pool = sample.pool { pools.append(pool) }
        }
        return (HeartbeatReport(keepalived: keepalived, listeners: listeners, pools: pools), current)
    }
}
