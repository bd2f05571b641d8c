import COpenSSL
import Glibc

/// Certificate and key checks through the system OpenSSL (whose pages go back after a quiet spell:
/// ``IdlePages``).
public enum CertificateCheck {
    /// The result of validating a key + certificate bundle.
    public struct CheckedBundle: Sendable {
        public let certificatesPEM: String
        public let privateKeyPEM: String
        /// SHA-256 of the first certificate's DER, lowercase hex.
        public let leafDigest: String
        /// The first certificate's subject common name, if it has one.
        public let commonName: String?
    }

    /// Checks that `text` holds a private key and at least one certificate, that the key matches the
    /// first certificate, and (when `requireCurrent`) that the first certificate is valid now.
    /// Accepts key-then-certificates (the seed's order) and certificates-then-key (the 1.0 controller's).
    public static func checkBundle(_ text: String, requireCurrent: Bool) throws(CertificateProblem) -> CheckedBundle {
        defer { IdlePages.used() }
        let blocks = PEMBlock.blocks(in: text)
        let certificates = blocks.filter(\.isCertificate)
        let keys = blocks.filter(\.isPrivateKey)
        guard let leafBlock = certificates.first, let leaf = x509(leafBlock.text) else {
            throw CertificateProblem("No certificate found")
        }
        defer { X509_free(leaf) }
        guard keys.count == 1, let key = privateKey(keys[0].text) else {
            throw CertificateProblem(keys.count > 1 ? "More than one private key found" : "No RSA key found")
        }
        defer { EVP_PKEY_free(key) }
        for block in certificates.dropFirst() {
            guard let extra = x509(block.text) else { throw CertificateProblem("Invalid certificate in chain") }
            X509_free(extra)
        }
        ERR_clear_error()
        guard X509_check_private_key(leaf, key) == 1 else {
            ERR_clear_error()
            throw CertificateProblem("Certificate and key do not match")
        }
        if requireCurrent {
            if X509_cmp_current_time(X509_get0_notAfter(leaf)) <= 0 { throw CertificateProblem("Certificate has expired") }
            if X509_cmp_current_time(X509_get0_notBefore(leaf)) >= 0 { throw CertificateProblem("Certificate is not yet valid") }
        }
        return CheckedBundle(
            certificatesPEM: certificates.map(\.text).joined(),
            privateKeyPEM: keys[0].text,
            leafDigest: derDigest(leaf),
            commonName: commonName(leaf)
        )
    }

    /// Checks that every block parses as what its label says (certificate, private key, CRL),
    /// through the same OpenSSL readers haproxy uses.
    public static func checkBlocksParse(_ blocks: [PEMBlock]) throws(CertificateProblem) {
        defer { IdlePages.used() }
        for block in blocks {
            let parses: Bool
            switch block.label {
            case "CERTIFICATE":
                if let cert = x509(block.text) { X509_free(cert); parses = true } else { parses = false }
            case "X509 CRL":
                if let crl = crl(block.text) { X509_CRL_free(crl); parses = true } else { parses = false }
            default:
                if block.isPrivateKey, let key = privateKey(block.text) { EVP_PKEY_free(key); parses = true } else { parses = false }
            }
            guard parses else { throw CertificateProblem("A \(block.label) block of the bundle does not parse") }
        }
    }

    /// Checks that `text` holds at least one parseable certificate (a CA bundle); returns the certificates.
    public static func checkCertificates(_ text: String) throws(CertificateProblem) -> String {
        defer { IdlePages.used() }
        let certificates = PEMBlock.blocks(in: text).filter(\.isCertificate)
        guard !certificates.isEmpty else { throw CertificateProblem("No certificate found") }
        for block in certificates {
            guard let cert = x509(block.text) else { throw CertificateProblem("Invalid certificate") }
            X509_free(cert)
        }
        return certificates.map(\.text).joined()
    }

    static func withBIO<T>(_ text: String, _ body: (OpaquePointer) -> T?) -> T? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { raw -> T? in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return body(bio)
        }
    }

    static func x509(_ pem: String) -> OpaquePointer? {
        defer { ERR_clear_error() }
        return withBIO(pem) { PEM_read_bio_X509($0, nil, nil, nil) }
    }

    static func crl(_ pem: String) -> OpaquePointer? {
        defer { ERR_clear_error() }
        return withBIO(pem) { PEM_read_bio_X509_CRL($0, nil, nil, nil) }
    }

    static func privateKey(_ pem: String) -> OpaquePointer? {
        defer { ERR_clear_error() }
        // A callback that supplies no passphrase: encrypted keys fail instead of prompting on a terminal.
        return withBIO(pem) { PEM_read_bio_PrivateKey($0, nil, { _, _, _, _ in 0 }, nil) }
    }

    static func commonName(_ cert: OpaquePointer) -> String? {
        guard let name = X509_get_subject_name(cert) else { return nil }
        let index = X509_NAME_get_index_by_NID(name, NID_commonName, -1)
        guard index >= 0, let entry = X509_NAME_get_entry(name, index), let data = X509_NAME_ENTRY_get_data(entry) else { return nil }
        var utf8: UnsafeMutablePointer<UInt8>?
        let length = ASN1_STRING_to_UTF8(&utf8, data)
        guard length >= 0, let utf8 else { return nil }
        defer { CRYPTO_free(utf8, #fileID, #line) }
        return String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self)
    }

    static func derDigest(_ cert: OpaquePointer) -> String {
        var der: UnsafeMutablePointer<UInt8>?
        let length = i2d_X509(cert, &der)
        guard length > 0, let der else { return "" }
        defer { CRYPTO_free(der, #fileID, #line) }
        return Digest.sha256Hex(UnsafeBufferPointer(start: der, count: Int(length)))
    }
}
