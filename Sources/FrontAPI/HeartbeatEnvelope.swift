import CZlib
import Crypto
import IPCProtocol

/// The heartbeat's wire format, as the Octavia health manager unwraps it
/// (`status_message.wrap_envelope`): the JSON message compressed with zlib (RFC 1950 container,
/// level 9, as Python's `zlib.compress(data, 9)`), followed by the 64 lowercase hex characters of
/// HMAC-SHA256 over the compressed bytes, keyed with `heartbeat_key` (UTF-8). No separator.
///
/// ```swift
/// let datagram = try HeartbeatEnvelope.wrap(Array(#"{"testkey": "TEST"}"#.utf8), key: "TEST")   // 91 bytes
/// ```
public enum HeartbeatEnvelope {
    /// A compression failure (only possible when zlib runs out of memory).
    public struct CompressionError: Error, Sendable {
        public let code: Int32
    }

    /// `payload || hex(HMAC-SHA256(key, payload))` where `payload = zlib(json, 9)`.
    public static func wrap(_ json: [UInt8], key: String) throws(CompressionError) -> [UInt8] {
        let payload = try compress(json)
        return payload + Array(hexHMAC(payload, key: key).utf8)
    }

    /// zlib `compress2` at level 9: the `78 DA` header, DEFLATE data and the Adler-32 trailer.
    public static func compress(_ bytes: [UInt8]) throws(CompressionError) -> [UInt8] {
        var capacity = compressBound(uLong(bytes.count))
        var output = [UInt8](repeating: 0, count: Int(capacity))
        let status = output.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { input in
                compress2(out.baseAddress, &capacity, input.baseAddress, uLong(input.count), 9)
            }
        }
        guard status == Z_OK else { throw CompressionError(code: status) }
        return Array(output.prefix(Int(capacity)))
    }

    /// HMAC-SHA256 of `bytes` keyed with `key`, as 64 lowercase hex characters.
    public static func hexHMAC(_ bytes: [UInt8], key: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: bytes, using: SymmetricKey(data: Array(key.utf8)))
        return HexText.lowercase(mac)
    }
}

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
