/// Bytes as hexadecimal text (digests, fingerprints, ids), two digits per byte.
/// ```
/// HexText.lowercase([0xde, 0xad]) == "dead"
/// ```
public enum HexText {
    /// Lowercase hex of `bytes`.
    public static func lowercase(_ bytes: some Sequence<UInt8>) -> String { encode(bytes, digits: lowerDigits) }

    /// Uppercase hex of `bytes` (percent and RFC 4514 escapes).
    public static func uppercase(_ bytes: some Sequence<UInt8>) -> String { encode(bytes, digits: upperDigits) }

    private static let lowerDigits = Array("0123456789abcdef".utf8)
    private static let upperDigits = Array("0123456789ABCDEF".utf8)

    private static func encode(_ bytes: some Sequence<UInt8>, digits: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
