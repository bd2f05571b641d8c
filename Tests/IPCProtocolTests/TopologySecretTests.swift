import Foundation
import IPCProtocol
import Testing

/// A VRRP secret decodes only in the character set the keepalived grammar's `<secret>` shape accepts.
@Suite("VRRP secret")
struct TopologySecretTests {
    func decode(secret: String) throws -> TopologyChange {
        let json = #"{"topology":"ACTIVE_STANDBY","role":"ACTIVE","haIP":"203.0.113.2","secret":"\#(secret)"}"#
        return try JSONDecoder().decode(TopologyChange.self, from: Data(json.utf8))
    }

    @Test("review L1: a secret with keepalived's comment character is refused on decode")
    func vrrpSecretWithCommentCharacterIsRefusedOnDecode() throws {
        // keepalived reads `auth_pass ab!cdefg` as `auth_pass ab`: the secret would silently change.
        let valid = try decode(secret: "ab.cdefg")
        #expect(valid.secret == "ab.cdefg")
        #expect(throws: (any Error).self) { try decode(secret: "ab!cdefg") }
        for secret in ["s3cret!", "a@b", "a~b", "a%b", "a*b", "a&b", "a;b", "a(b"] {
            #expect(throws: (any Error).self, "\(secret)") { try decode(secret: secret) }
            #expect(!TopologyChange.isValidSecret(secret))
        }
        #expect(TopologyChange.isValidSecret("b20e06cf1abcf29c"))
        #expect(TopologyChange.isValidSecret("7c5a1d9"))
    }
}
