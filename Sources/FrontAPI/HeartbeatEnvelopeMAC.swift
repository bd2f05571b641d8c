import Crypto
import HeartbeatFormat
import IPCProtocol

/// The heartbeat envelope's MAC: HMAC-SHA256 keyed with `heartbeat_key` (UTF-8), with swift-crypto.
///
/// ```swift
/// let datagram = try HeartbeatEnvelope.wrap(Array(#"{"testkey": "TEST"}"#.utf8), key: "TEST")   // 91 bytes
/// ```
extension HeartbeatEnvelope {
    /// `payload || hex(HMAC-SHA256(key, payload))` where `payload = zlib(json, 9)`.
    public static func wrap(_ json: [UInt8], key: String) throws(CompressionError) -> [UInt8] {
        let payload = try compress(json)
        return assemble(payload: payload, hexMAC: hexHMAC(payload, key: key))
    }

    /// HMAC-SHA256 of `bytes` keyed with `key`, as 64 lowercase hex characters.
    public static func hexHMAC(_ bytes: [UInt8], key: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: bytes, using: SymmetricKey(data: Array(key.utf8)))
        return HexText.lowercase(mac)
    }
}
