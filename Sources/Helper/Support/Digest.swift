import COpenSSL
import IPCProtocol

/// Message digests through the system OpenSSL (the helper links no second TLS library). Its pages
/// go back once libcrypto has been quiet for a while (``IdlePages``).
public enum Digest {
    /// Lowercase hex SHA-256 of `bytes`.
    public static func sha256Hex(_ bytes: some Collection<UInt8>) -> String { hex(EVP_sha256(), bytes) }

    /// Lowercase hex MD5 of `bytes` (Octavia compares certificate and config files by MD5).
    public static func md5Hex(_ bytes: some Collection<UInt8>) -> String { hex(EVP_md5(), bytes) }

    static func hex(_ md: OpaquePointer?, _ bytes: some Collection<UInt8>) -> String {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let input = Array(bytes)
        let ok = input.withUnsafeBytes { raw in
            out.withUnsafeMutableBufferPointer { buf in
                EVP_Digest(raw.baseAddress, raw.count, buf.baseAddress, &length, md, nil)
            }
        }
        precondition(ok == 1, "EVP_Digest failed")
        IdlePages.used()
        return hexString(out[0..<Int(length)])
    }

    /// Lowercase hex of `bytes`.
    public static func hexString(_ bytes: some Collection<UInt8>) -> String { HexText.lowercase(bytes) }
}
