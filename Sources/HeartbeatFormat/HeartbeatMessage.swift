import IPCProtocol

/// The heartbeat message, version 3 (counters are deltas):
/// `{"id", "seq", "ver": 3, "listeners": {id: {"status", "stats": {"tx","rx","conns","totconns","ereq"}}},
/// "pools": {"<pool>:<listener>": {"status", "members": {member: status}}}}`, plus `"audit_head": {"seq",
/// "hash", "epoch"}` (the audit log's head, an off-box anchor) when the helper reports one. Octavia's
/// health manager reads only the keys it knows (`heartbeat_udp.update_health` and `update_stats` use
/// `health['id']`, `['listeners']`, `['pools']`, `.get('ver')`, `['recv_time']`), so the extra key is
/// carried without effect.
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
                ("members", .object(pool.members.map { ($0.name, .string($0.status)) })),
            ]))
        }
        return .object([
            ("id", .string(amphoraID)), ("seq", .number(String(sequence))), ("ver", .number(String(version))),
            ("listeners", .object(listeners)), ("pools", .object(pools)),
        ] + (report.auditHead.map { [("audit_head", $0.json)] } ?? []))
    }
}
