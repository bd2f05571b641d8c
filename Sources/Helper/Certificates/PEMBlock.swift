import COpenSSL
import Glibc

/// One `-----BEGIN LABEL-----` … `-----END LABEL-----` block of a PEM bundle.
public struct PEMBlock: Sendable, Equatable {
    public let label: String
    /// The whole block including its BEGIN and END lines, newline-terminated.
    public let text: String

    /// True for the private key labels OpenSSL writes (PKCS#8, PKCS#1 RSA, SEC1 EC).
    public var isPrivateKey: Bool { ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"].contains(label) }
    public var isCertificate: Bool { label == "CERTIFICATE" }

    /// The labels the certificate store accepts: what Octavia 19.0.0 uploads (certificates and
    /// intermediates, PKCS#8 / PKCS#1 / SEC1 private keys, CA bundles, and CRLs), nothing else.
    public static let storeLabels: Set<String> = ["CERTIFICATE", "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "X509 CRL"]

    /// Reads `text` strictly as a sequence of PEM blocks, as the certificate store accepts it: only
    /// blocks whose label is in `labels`, only whitespace before, between and after them; each body
    /// made of base64 lines (no RFC 1421 headers, no blank lines, `=` padding only at the very end,
    /// a whole number of quanta). Line ends may be LF or CRLF. Nothing else in the text survives:
    /// a Lua chunk or any other payload before, between or after the blocks is refused.
    public static func strictBlocks(in text: String, labels: Set<String> = storeLabels) throws(CertificateProblem) -> [PEMBlock] {
        // ASCII only, so that every comparison below is byte for byte (Swift compares Strings by
        // canonical equivalence: U+212A KELVIN SIGN would equal "K").
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { throw CertificateProblem("Non-ASCII text in a PEM bundle") }
        var result: [PEMBlock] = []
        var current: (label: String, lines: [Substring], quanta: Int, padded: Bool)?
        var lineNumber = 0
        for trimmed in Self.lines(of: text) {
            lineNumber += 1
            guard var block = current else {
                if trimmed.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                guard trimmed.hasPrefix("-----BEGIN "), trimmed.hasSuffix("-----"), trimmed.utf8.count > 16 else {
                    throw CertificateProblem("Text outside PEM blocks (line \(lineNumber))")
                }
                let label = String(trimmed.dropFirst("-----BEGIN ".count).dropLast(5))
                guard labels.contains(label) else {
                    throw CertificateProblem("PEM label not accepted (line \(lineNumber)); accepted: \(labels.sorted().joined(separator: ", "))")
                }
                current = (label, [trimmed], 0, false)
                continue
            }
            if trimmed == "-----END \(block.label)-----" {
                guard block.lines.count > 1, block.quanta % 4 == 0 else {
                    throw CertificateProblem("Malformed base64 in a PEM block (line \(lineNumber))")
                }
                block.lines.append(trimmed)
                result.append(PEMBlock(label: block.label, text: block.lines.joined(separator: "\n") + "\n"))
                current = nil
                continue
            }
            // A body line: base64 characters, then at most two '=' that end the data.
            guard !block.padded, !trimmed.isEmpty else {
                throw CertificateProblem("Malformed base64 in a PEM block (line \(lineNumber))")
            }
            var padding = 0
            for byte in trimmed.utf8 {
                if byte == UInt8(ascii: "=") {
                    padding += 1
                } else if padding > 0 || !isBase64Byte(byte) {
                    throw CertificateProblem("Malformed base64 in a PEM block (line \(lineNumber))")
                }
            }
            guard padding <= 2 else { throw CertificateProblem("Malformed base64 in a PEM block (line \(lineNumber))") }
            block.quanta += trimmed.utf8.count
            block.padded = padding > 0
            block.lines.append(trimmed)
            current = block
        }
        if current != nil { throw CertificateProblem("Unterminated PEM block") }
        guard !result.isEmpty else { throw CertificateProblem("No PEM block found") }
        return result
    }

    /// The lines of `text`, split at LF bytes (a Swift `Character` split would keep CRLF together),
    /// each without its trailing CR.
    static func lines(of text: String) -> [Substring] {
        text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            Substring(line.last == UInt8(ascii: "\r") ? line.dropLast() : line)
        }
    }

    static func isBase64Byte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "+"), UInt8(ascii: "/"):
            return true
        default:
            return false
        }
    }

    /// Splits a bundle into its blocks, in order; text between blocks is ignored (only for the
    /// agent's own identity files; uploads go through ``strictBlocks(in:labels:)``).
    public static func blocks(in text: String) -> [PEMBlock] {
        var result: [PEMBlock] = []
        var current: (label: String, lines: [Substring])?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.hasSuffix("\r") ? line.dropLast() : line
            if current == nil, trimmed.hasPrefix("-----BEGIN "), trimmed.hasSuffix("-----") {
                let label = trimmed.dropFirst("-----BEGIN ".count).dropLast(5)
                current = (String(label), [trimmed])
            } else if var block = current {
                block.lines.append(trimmed)
                if trimmed == "-----END \(block.label)-----" {
                    result.append(PEMBlock(label: block.label, text: block.lines.joined(separator: "\n") + "\n"))
                    current = nil
                } else {
                    current = block
                }
            }
        }
        return result
    }
}

/// Why a certificate bundle was refused; the message is safe to show (it never contains PEM data).
public struct CertificateProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Certificate and key checks through the system OpenSSL.
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

/// The agent's own TLS identity as the helper loaded and checked it.
public struct ServerIdentity: Sendable {
    public let certificatesPEM: String
    public let privateKeyPEM: String
    public let clientCAPEM: String
    public let leafDigest: String

    public init(certificatesPEM: String, privateKeyPEM: String, clientCAPEM: String, leafDigest: String) {
        self.certificatesPEM = certificatesPEM
        self.privateKeyPEM = privateKeyPEM
        self.clientCAPEM = clientCAPEM
        self.leafDigest = leafDigest
    }

    /// Loads `agent_server_cert` (certificate and key in one file) and `agent_server_ca`, checking both.
    /// Errors are one line naming the file and the problem.
    public static func load(certificatePath: String, caPath: String) throws(CertificateProblem) -> ServerIdentity {
        let certText: String
        let caText: String
        do {
            certText = String(decoding: try readFile(certificatePath), as: UTF8.self)
        } catch {
            throw CertificateProblem("agent_server_cert \(certificatePath): cannot read: \(error)")
        }
        do {
            caText = String(decoding: try readFile(caPath), as: UTF8.self)
        } catch {
            throw CertificateProblem("agent_server_ca \(caPath): cannot read: \(error)")
        }
        let bundle: CertificateCheck.CheckedBundle
        do {
            bundle = try CertificateCheck.checkBundle(certText, requireCurrent: true)
        } catch {
            throw CertificateProblem("agent_server_cert \(certificatePath): \(error.message)")
        }
        let ca: String
        do {
            ca = try CertificateCheck.checkCertificates(caText)
        } catch {
            throw CertificateProblem("agent_server_ca \(caPath): \(error.message)")
        }
        return ServerIdentity(
            certificatesPEM: bundle.certificatesPEM, privateKeyPEM: bundle.privateKeyPEM, clientCAPEM: ca,
            leafDigest: bundle.leafDigest)
    }
}
