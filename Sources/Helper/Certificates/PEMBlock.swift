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
