import IPCProtocol
import Testing

@Suite("ASCII byte sets")
struct ASCIISetTests {
    @Test("membership across both halves of the map; bytes of 0x80 and above are never members")
    func membership() {
        let set = ASCIISet("\u{0}09AZaz~\u{7F}")
        for byte in [0x00, 0x30, 0x39, 0x41, 0x5A, 0x61, 0x7A, 0x7E, 0x7F] as [UInt8] { #expect(set.contains(byte)) }
        for byte in [0x01, 0x31, 0x40, 0x5B, 0x60, 0x7D, 0x80, 0xC3, 0xFF] as [UInt8] { #expect(!set.contains(byte)) }
    }

    @Test("containsEvery: not empty, every byte a member; substrings too")
    func every() {
        let digits = ASCIISet("0123456789")
        #expect(digits.containsEvery(of: "8443"))
        #expect(!digits.containsEvery(of: ""))
        #expect(!digits.containsEvery(of: "84a3"))
        #expect(!digits.containsEvery(of: "8\u{0663}"))  // ARABIC-INDIC DIGIT THREE is not ASCII
        #expect(digits.containsEvery(of: "x80".dropFirst()))
        #expect(digits.union(ASCIISet("x")).containsEvery(of: "x80"))
    }
}
