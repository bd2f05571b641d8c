import IPCProtocol

/// The heartbeat message, version 3 (counters are deltas):
/// `{"id", "seq", "ver": 3, "listeners": {id: {"status", "stats": {"tx","rx","conns","totconns","ereq"}}},
/// "pools": {"<pool>:<listener>": {"status", "members": {member: status}}}}`, plus `"audit_head": {"seq",
/// "hash", "epoch"}` (the audit log's head, an off-box anchor) when the helper reports one. Octavia's
/// health manager reads only the keys it knows (`heartbeat_udp.update_health` and `update_stats` use
/// `health['id']`, `['listeners']`, `['pools']`, `.get('ver')`, `['recv_time']`), so the extra key is
/// carried without effect.
///
/// A name the report repeats (two running instances with a frontend or backend of the same name)
/// is one member, at its first place; repeated keys would not be JSON a strict reader accepts. A
/// repeated listener's counters are added up (each instance's deltas were taken from its own
/// baseline, so dropping one would lose them for good) and its last status is kept, as upstream's
/// dictionary keeps the last assignment; a repeated pool keeps its last status and the union of
/// the members, the last status of a repeated member winning.
public enum HeartbeatMessage {
    public static let version = 3

    public static func json(amphoraID: String, sequence: UInt64, report: HeartbeatReport) -> JSONValue {
        let listeners: [(String, JSONValue)] = mergedListeners(report.listeners).map { listener in
            (listener.id, .object([
                ("status", .string(listener.status)),
                ("stats", .object([
                    ("tx", .number(String(listener.tx))), ("rx", .number(String(listener.rx))),
                    ("conns", .number(String(listener.conns))), ("totconns", .number(String(listener.totconns))),
                    ("ereq", .number(String(listener.ereq))),
                ])),
            ]))
        }
        let pools: [(String, JSONValue)] = mergedPools(report.pools).map { pool in
            (pool.key, .object([
                ("status", .string(pool.status)),
                ("members", .object(pool.members.map { ($0.name, .string($0.status)) })),
            ]))
        }
        return .object([
            ("id", .string(amphoraID)), ("seq", .number(String(sequence))), ("ver", .number(String(version))),
            ("listeners", .object(listeners)), ("pools", .object(pools)),
        ] + (report.auditHead.map { [("audit_head", $0.json)] } ?? []))
    }

    /// One entry per listener id: counters added (saturating), the last status.
    static func mergedListeners(_ listeners: [ListenerHeartbeat]) -> [ListenerHeartbeat] {
        merged(listeners, key: \.id) { first, next in
            var sum = first
            sum.status = next.status
            sum.tx = add(first.tx, next.tx)
            sum.rx = add(first.rx, next.rx)
            sum.conns = add(first.conns, next.conns)
            sum.totconns = add(first.totconns, next.totconns)
            sum.ereq = add(first.ereq, next.ereq)
            return sum
        }
    }

    /// One entry per pool key: the last status, the members of all entries (one per name, the last status).
    static func mergedPools(_ pools: [PoolHeartbeat]) -> [PoolHeartbeat] {
        merged(pools.map { pool in
            var unique = pool
            unique.members = merged(pool.members, key: \.name) { _, next in next }
            return unique
        }, key: \.key) { first, next in
            var union = first
            union.status = next.status
            union.members = merged(first.members + next.members, key: \.name) { _, later in later }
            return union
        }
    }

    /// `items` with one entry per key, at the key's first place, repeated ones combined in order.
    static func merged<Item>(_ items: [Item], key: (Item) -> String, combine: (Item, Item) -> Item) -> [Item] {
        var place: [String: Int] = [:]
        var unique: [Item] = []
        for item in items {
            if let index = place[key(item)] {
                unique[index] = combine(unique[index], item)
            } else {
                place[key(item)] = unique.count
                unique.append(item)
            }
        }
        return unique
    }

    static func add(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }
}
