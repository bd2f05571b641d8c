import Foundation
import IPCProtocol
import Testing

@testable import FrontAPI

/// A rotated server certificate must be loadable by BoringSSL (which serves it) before the front
/// forwards it to the helper (which checks it with OpenSSL and stores it).
@Suite("Servable identity")
struct ServableIdentityTests {
    /// Self-signed RSA and Ed448 identities and a second RSA key, made by the openssl CLI.
    static func material() throws -> [String: String] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("servable-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = """
            set -e
            cd "$1"
            o() { openssl "$@" 2>/dev/null; }
            o req -x509 -newkey rsa:2048 -nodes -keyout rsa.key -out rsa.crt -subj "/CN=amphora" -days 2
            o genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out other.key
            o genpkey -algorithm ed448 -out ed.key
            o req -x509 -key ed.key -out ed.crt -subj "/CN=amphora" -days 2
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script, "material", dir]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        var result: [String: String] = [:]
        for name in ["rsa.key", "rsa.crt", "other.key", "ed.key", "ed.crt"] {
            result[name] = try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
        }
        return result
    }

    func message(_ pem: String) -> String? {
        do {
            try ServerTLSIdentity.checkServable(pem)
            return nil
        } catch {
            if case .object(let members) = error.body, let (_, value) = members.first(where: { $0.0 == "message" }),
                case .string(let text) = value
            {
                return text
            }
            return "?"
        }
    }

    @Test("RSA in either order is servable; Ed448 (OpenSSL yes, BoringSSL no), a mismatched key, no key, no certificate are not")
    func rotationBoringSSLCannotServeIsRefused() throws {
        let m = try Self.material()
        let rsaKey = m["rsa.key"] ?? "", rsaCert = m["rsa.crt"] ?? ""
        #expect(message(rsaKey + rsaCert) == nil)
        #expect(message(rsaCert + rsaKey) == nil)
        #expect(message((m["ed.crt"] ?? "") + (m["ed.key"] ?? "")) == "Unsupported private key")
        #expect(message(rsaCert + (m["other.key"] ?? "")) == "Certificate and key do not match")
        #expect(message(rsaCert) == "No RSA key found")
        #expect(message(rsaKey) == "No certificate found")
        #expect(message(rsaCert + rsaKey + (m["other.key"] ?? "")) == "More than one private key found")
    }
}
