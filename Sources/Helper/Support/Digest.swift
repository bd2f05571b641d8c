import Crypto
import IPCProtocol

/// Message digests through swift-crypto (BoringSSL's code, linked in), not the system OpenSSL: every
/// audit record needs a SHA-256 and an upload another, and OpenSSL 3 fetches each digest through its
/// provider machinery, which kept megabytes of libcrypto resident in the helper. libcrypto serves
/// only the certificate checks (``CertificateCheck``), and gives its pages back after them
/// (``LibcryptoPages``).
public enum Digest {
    /// Lowercase hex SHA-256 of `bytes`.
    public static func sha256Hex(_ bytes: some Collection<UInt8>) -> String { hexString(SHA256.hash(data: Array(bytes))) }

    /// Lowercase hex MD5 of `bytes` (Octavia compares certificate and config files by MD5).
    public static func md5Hex(_ bytes: some Collection<UInt8>) -> String { hexString(Insecure.MD5.hash(data: Array(bytes))) }

    /// Lowercase hex of `bytes`.
    public static func hexString(_ bytes: some Sequence<UInt8>) -> String { HexText.lowercase(bytes) }
}
