/// A set of ASCII bytes as a 128-bit map: membership is two shifts, with no hashing and no
/// allocation, for allow-lists that check every byte of a large text (a haproxy configuration).
/// ```
/// let digits = ASCIISet("0123456789")
/// digits.containsEvery(of: "8443")   // true
/// ```
public struct ASCIISet: Sendable, Equatable {
    @usableFromInline var low: UInt64 = 0
    @usableFromInline var high: UInt64 = 0

    /// The set of `characters`' bytes; every one must be ASCII.
    public init(_ characters: String) {
        for byte in characters.utf8 {
            precondition(byte < 0x80, "ASCIISet holds ASCII bytes only")
            if byte < 64 { low |= 1 << UInt64(byte) } else { high |= 1 << UInt64(byte - 64) }
        }
    }

    /// Whether `byte` is in the set (never for a byte of 0x80 or above).
    @inlinable @inline(__always)
    public func contains(_ byte: UInt8) -> Bool {
        byte < 64 ? low & (1 << UInt64(byte)) != 0 : byte < 128 && high & (1 << UInt64(byte - 64)) != 0
    }

    /// Whether `text` is not empty and every one of its bytes is in the set.
    @inlinable
    public func containsEvery(of text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { contains($0) }
    }

    /// The union of two sets.
    public func union(_ other: ASCIISet) -> ASCIISet {
        var result = self
        result.low |= other.low
        result.high |= other.high
        return result
    }
}
