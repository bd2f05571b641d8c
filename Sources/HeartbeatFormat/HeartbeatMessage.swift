import IPCProtocol

/// The heartbeat message, version 3 (counters are deltas):
/// `{"id", "seq", "ver": 3, "listeners": {id: {"status", "stats": {"tx","rx","conns","totconns","ereq"}}},
/// "pools": {"<pool>:<listener>": {"status", "members": {member: status}}}}`, plus `"audit_head": {"seq",
/// "hash", "epoch"}` (the audit log's head, an off-box anchor) when the helper reports one. Octavia's
/// health manager reads only the keys it knows (`heartbeat_udp.update_health` and `update_stats` use
/// `health['id']`, `['listeners']`, `['pools']`, `.get('ver')`, `['recv_time']`), so the extra key is
/// carried without effect.
///
/// A name the report repeats (two listeners, pools or members of one pool with the same name) is
/// one member, as in upstream's dictionaries: the last entry's value at the first entry's place.
/// Repeated keys would not be JSON a strict reader accepts.
public enum HeartbeatMessage {
    public static let version = 3

    public static func json(amphoraID: String, sequence: UInt64, report: HeartbeatReport) -> JSONValue {
        let listeners: [(String, JSONValue)] = report.listeners.map { listener in
            (listener.id, .object([
                ("status", .string(listener.status)),
                ("stats", .object([
                    ("tx", .number(String(listener.tx))), ("rx", .number(String(listener.rx))),
                    ("conns", .number(String(listener.conns))), ("totconns", .number(String(listener.totconns))),
                    ("ereq", .number(String(listener.ereq))),
                ])),
            ]))
        }
        let pools: [(String, JSONValue)] = report.pools.map { pool in
            (pool.key, .object([
                ("status", .string(pool.status)),
                ("members", .object(uniqueMembers(pool.members.map { ($0.name, .string($0.status)) }))),
            ]))
        }
        return .object([
            ("id", .string(amphoraID)), ("seq", .number(String(sequence))), ("ver", .number(String(version))),
            ("listeners", .object(uniqueMembers(listeners))), ("pools", .object(uniqueMembers(pools))),
        ] + (report.auditHead.map { [("audit_head", $0.json)] } ?? []))
    }

    /// One member per name, as a Python `dict` built by assignment: the last value, the first place.
    static func uniqueMembers(_ members: [(String, JSONValue)]) -> [(String, JSONValue)] {
        var place: [String: Int] = [:]
        var unique: [(String, JSONValue)] = []
        for (name, value) in members {
            if let index = place[name] {
                unique[index].1 = value
            } else {
                place[name] = unique.count
                unique.append((name, value))
            }
        }
        return unique
    }
}
