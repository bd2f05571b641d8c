import CZlib

/// The heartbeat's wire format, as the Octavia health manager unwraps it
/// (`status_message.wrap_envelope`): the JSON message compressed with zlib (RFC 1950 container,
/// level 9, as Python's `zlib.compress(data, 9)`), followed by the 64 lowercase hex characters of
/// HMAC-SHA256 over the compressed bytes, keyed with `heartbeat_key` (UTF-8). No separator.
///
/// This module holds the compression and the layout; the front adds the HMAC (`wrap(_:key:)`, with
/// swift-crypto), so the fuzz build checks the envelope without building a TLS library.
public enum HeartbeatEnvelope {
    /// A compression failure (only possible when zlib runs out of memory).
    public struct CompressionError: Error, Sendable {
        public let code: Int32
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

    /// The datagram: `payload || hexMAC` (the MAC's 64 lowercase hex characters).
    public static func assemble(payload: [UInt8], hexMAC: String) -> [UInt8] {
        payload + Array(hexMAC.utf8)
    }
}
