/// A haproxy crt-list uploaded into a load balancer's certificate directory (1.0 API), read
/// strictly. Octavia 19.0.0 renders one absolute path per line, `<base_cert_dir>/<lb>/<cert id>.pem`
/// (`_process_tls_certificates` in its REST driver); haproxy's full syntax is
/// `<crtfile> [\[<ssl options>\]] [[!]<sni filter> ...]`. Accepted here: that path, optionally a
/// bracketed list of the options below, optionally SNI filters of hostname shape. Every path (the
/// certificate, `ca-file`, `crl-file`) must name a file directly inside that load balancer's own
/// certificate directory; nothing may need quoting or escaping; no comments.
public struct CrtList: Sendable, Equatable {
    /// One line: a certificate file, its options (name → value) and its SNI filters.
    public struct Entry: Sendable, Equatable {
        public let certificate: String
        public let options: [String: String]
        public let filters: [String]
    }

    public let entries: [Entry]

    /// The bracketed options accepted, each with the shape of its one value.
    enum OptionValue {
        case tlsVersion
        case cipherList
        case alpnList
        case verifyMode
        case pathInDirectory
    }

    static let options: [String: OptionValue] = [
        "ssl-min-ver": .tlsVersion, "ssl-max-ver": .tlsVersion,
        "ciphers": .cipherList, "ciphersuites": .cipherList,
        "alpn": .alpnList,
        "verify": .verifyMode,
        "ca-file": .pathInDirectory, "crl-file": .pathInDirectory,
    ]

    /// The longest line accepted.
    static let maximumLineLength = 4096

    /// Parses `text` as a crt-list whose files must all live in `directory` (`<base_cert_dir>/<lb>`).
    public init(parsing text: String, directory: String) throws(CertificateProblem) {
        var entries: [Entry] = []
        var lineNumber = 0
        for line in PEMBlock.lines(of: text) {
            lineNumber += 1
            if line.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            do {
                entries.append(try Self.entry(line, directory: directory))
            } catch {
                throw CertificateProblem("crt-list line \(lineNumber): \(error.message)")
            }
        }
        guard !entries.isEmpty else { throw CertificateProblem("Empty crt-list") }
        self.entries = entries
    }

    static func entry(_ line: Substring, directory: String) throws(CertificateProblem) -> Entry {
        guard line.utf8.count <= maximumLineLength else { throw CertificateProblem("line too long") }
        guard line.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7f || $0 == 0x09 }) else {
            throw CertificateProblem("only printable ASCII is accepted")
        }
        for forbidden in ["\"", "'", "\\", "#", "$"] where line.contains(forbidden) {
            throw CertificateProblem("'\(forbidden)' is not accepted (no quoting, escapes, variables or comments)")
        }
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let first = words.first else { throw CertificateProblem("empty line") }
        let certificate = try fileInDirectory(first, directory: directory, what: "certificate")
        var rest = words.dropFirst()
        var options: [String: String] = [:]
        if let open = rest.first, open.hasPrefix("[") {
            // The bracketed options may start and end inside words: "[ssl-min-ver TLSv1.2]".
            var inner: [String] = []
            var closed = false
            var word = String(open.dropFirst())
            rest = rest.dropFirst()
            while true {
                if word.hasSuffix("]") {
                    word.removeLast()
                    closed = true
                }
                guard !word.contains("["), !word.contains("]") else { throw CertificateProblem("malformed option list") }
                if !word.isEmpty { inner.append(word) }
                if closed { break }
                guard let next = rest.first else { throw CertificateProblem("unterminated option list") }
                word = next
                rest = rest.dropFirst()
            }
            guard !inner.isEmpty, inner.count % 2 == 0 else { throw CertificateProblem("each option takes one value") }
            var index = 0
            while index < inner.count {
                let name = inner[index], value = inner[index + 1]
                guard let shape = Self.options[name] else {
                    throw CertificateProblem("option not accepted: \(name); accepted: \(Self.options.keys.sorted().joined(separator: ", "))")
                }
                guard options[name] == nil else { throw CertificateProblem("option given twice: \(name)") }
                options[name] = try checkValue(value, shape, option: name, directory: directory)
                index += 2
            }
        }
        var filters: [String] = []
        for filter in rest {
            guard isSNIFilter(filter) else { throw CertificateProblem("not a hostname filter: \(filter)") }
            filters.append(filter)
        }
        return Entry(certificate: certificate, options: options, filters: filters)
    }

    static func checkValue(_ value: String, _ shape: OptionValue, option: String, directory: String) throws(CertificateProblem) -> String {
        let ok: Bool
        switch shape {
        case .tlsVersion:
            ok = ["TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"].contains(value)
        case .cipherList:
            ok = !value.isEmpty && value.utf8.allSatisfy { isLetterOrDigit($0) || Array(":+-!@=_.".utf8).contains($0) }
        case .alpnList:
            ok = !value.isEmpty && value.split(separator: ",", omittingEmptySubsequences: false).allSatisfy { part in
                !part.isEmpty && part.utf8.allSatisfy { isLetterOrDigit($0) || Array("./-".utf8).contains($0) }
            }
        case .verifyMode:
            ok = ["none", "optional", "required"].contains(value)
        case .pathInDirectory:
            return try fileInDirectory(value, directory: directory, what: option)
        }
        guard ok else { throw CertificateProblem("value not accepted for \(option)") }
        return value
    }

    /// `path` must be `<directory>/<name>` with a certificate file name (letters, digits, `_-.`,
    /// ending in `.pem`, no `/`): directly inside that load balancer's directory.
    static func fileInDirectory(_ path: String, directory: String, what: String) throws(CertificateProblem) -> String {
        let prefix = directory + "/"
        guard path.hasPrefix(prefix) else {
            throw CertificateProblem("\(what) must be inside this load balancer's certificate directory \(directory)")
        }
        let name = String(path.dropFirst(prefix.count))
        let bytes = Array(name.utf8)
        guard let first = bytes.first, isLetterOrDigit(first), name.hasSuffix(".pem"), bytes.count <= 255,
            bytes.allSatisfy({ isLetterOrDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }),
            !name.contains("..")
        else {
            throw CertificateProblem("\(what) must be a .pem file directly inside this load balancer's certificate directory \(directory)")
        }
        return path
    }

    /// `[!]host.name` or `[!]*.host.name`: hostname labels of letters, digits and `-`.
    static func isSNIFilter(_ filter: String) -> Bool {
        var name = Substring(filter)
        if name.hasPrefix("!") { name = name.dropFirst() }
        if name.hasPrefix("*.") { name = name.dropFirst(2) }
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.utf8.allSatisfy { isLetterOrDigit($0) || $0 == UInt8(ascii: "-") }
        }
    }

    static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
