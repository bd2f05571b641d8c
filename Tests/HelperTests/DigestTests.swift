import Testing

@testable import Helper

/// Known answers for the helper's digests and the audit seal (the system OpenSSL), computed independently
/// with Python's hashlib and hmac: a record sealed by the helper must verify with any HMAC-SHA256.
@Suite("Digests and the audit seal: known answers")
struct DigestTests {
    @Test("SHA-256 and MD5 of short and block-crossing inputs")
    func digests() {
        #expect(Digest.sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.sha256Hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Digest.sha256Hex([UInt8](repeating: UInt8(ascii: "a"), count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        #expect(Digest.md5Hex(Array("abc".utf8)) == "900150983cd24fb0d6963f7d28e17f72")
    }

    @Test("HMAC-SHA256 seal, fingerprint and key evolution")
    func seal() throws {
        let bytes = (0..<32).map { UInt8($0) }
        let key = try #require(bytes.withUnsafeBytes { AuditSealKey(epoch: 0, bytes: $0) })
        #expect(key.seal("abc") == "f0133729c4163dede81e21cd47839256da58171238c8a0d874397c73b14e1e47")
        #expect(key.fingerprint() == "5ab8c392c2c54035a048aa6596dd415f0ce2e6f7c449b83e66f5d90f018993e5")
        key.evolve()
        #expect(key.epoch == 1)
        #expect(key.seal("abc") == "201d4f4566f66003b8d4ad5a2a70d6bf2eb3c065e74dbeae3571ebce9db79484")
    }
}
