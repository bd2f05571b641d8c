// Identifier-like validated values: resource IDs, certificate file names, interface names.

/// A canonical lowercase UUID (`8-4-4-4-12` hex digits) naming a load balancer, listener or amphora.
///
/// Uppercase is rejected, not normalised, so the text that reaches a path or argv is exactly the
/// text that was validated.
public struct ResourceID: ValidatedText {
    /// The 36-character canonical text.
    public let value: String

    /// The input's name in a refusal when the caller names none.
    public static let defaultField = "id"

    /// Validates `raw` as a canonical lowercase UUID.
    public init(validating raw: String, field: String = defaultField) throws(ValidationError) {
        let shape = "must be a canonical UUID: 36 characters, lowercase hex digits in 8-4-4-4-12 form"
        try ValueGrammar.requireLength(raw, 36, field: field, shape: shape)
        var sawUppercase = false
        for (index, byte) in raw.utf8.enumerated() {
            switch index {
            case 8, 13, 18, 23:
                guard byte == ValueGrammar.hyphen else {
                    throw ValidationError(field: field, reason: shape)
                }
            default:
                if ValueGrammar.isDigit(byte) || ValueGrammar.isLowerHexLetter(byte) { continue }
                guard ValueGrammar.isUpperHexLetter(byte) else {
                    throw ValidationError(field: field, reason: shape)
                }
                sawUppercase = true
            }
        }
        guard !sawUppercase else {
            throw ValidationError(field: field, reason: "must be a lowercase UUID (uppercase hex digits are not accepted)")
        }
        value = raw
    }

    /// The canonical text.
    public var description: String { value }
}

/// A certificate file name matching `^[A-Za-z0-9][A-Za-z0-9_-]{0,63}(\.[A-Za-z0-9_-]{1,63})*\.pem$`, at most 255 bytes.
///
/// So: ASCII only, no `/`, `\`, `%`, NUL, no leading `.`, no `..`, not `.pem` alone.
public struct CertificateFileName: ValidatedText {
    /// The file name, exactly as validated.
    public let value: String

    /// The longest accepted name, in bytes.
    public static let maximumLength = 255

    /// The input's name in a refusal when the caller names none.
    public static let defaultField = "filename"

    /// Validates `raw` against the anchored certificate file name grammar.
    public init(validating raw: String, field: String = defaultField) throws(ValidationError) {
        let bytes = try ValueGrammar.dottedNameBytes(
            raw, field: field, maximumLength: Self.maximumLength, lengthUnit: "characters",
            alphabetNote: " (no '/', '\\', '%' or control characters)")
        let count = bytes.count
        let suffix = Array(".pem".utf8)
        guard count > suffix.count, bytes.suffix(suffix.count).elementsEqual(suffix) else {
            throw ValidationError(field: field, reason: "must be a name followed by '.pem'")
        }
        let stem = bytes.dropLast(suffix.count)
        let labels = stem.split(separator: ValueGrammar.dot, omittingEmptySubsequences: false)
        for (index, label) in labels.enumerated() {
            guard !label.isEmpty else {
                throw ValidationError(field: field, reason: "must not contain empty dot-separated parts such as '..'")
            }
            let limit = index == 0 ? 64 : 63
            guard label.count <= limit else {
                throw ValidationError(
                    field: field,
                    reason: "each dot-separated part must be at most 63 characters (64 for the first)"
                )
            }
        }
        value = raw
    }

    /// The v0.1 rule: the file is named after the certificate's primary CN, with a leading `*`
    /// replaced by `WILDCARD`, plus `.pem` (`*.example.com` → `WILDCARD.example.com.pem`).
    /// The result must pass the same grammar as any other certificate file name.
    public static func forCommonName(
        _ cn: String,
        field: String = "common_name"
    ) throws(ValidationError) -> CertificateFileName {
        guard !cn.isEmpty else {
            throw ValidationError(field: field, reason: "must not be empty")
        }
        guard cn.utf8.count <= maximumLength else {
            throw ValidationError(field: field, reason: "is too long to name a certificate file")
        }
        var name = cn
        if cn.utf8.first == UInt8(ascii: "*") {
            name = "WILDCARD" + String(decoding: cn.utf8.dropFirst(), as: UTF8.self)
        }
        return try CertificateFileName(validating: name + ".pem", field: field)
    }

    /// The file name.
    public var description: String { value }
}

/// A network interface name: 1 to 15 bytes (IFNAMSIZ - 1) matching `^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$`.
///
/// Additionally no `..` anywhere, so the name is never `.`/`..` nor looks like a path step.
public struct InterfaceName: ValidatedText {
    /// The interface name, exactly as validated.
    public let value: String

    /// The longest accepted name, in bytes (IFNAMSIZ - 1).
    public static let maximumLength = 15

    /// The input's name in a refusal when the caller names none.
    public static let defaultField = "interface"

    /// Validates `raw` as an interface name.
    public init(validating raw: String, field: String = defaultField) throws(ValidationError) {
        let bytes = try ValueGrammar.dottedNameBytes(
            raw, field: field, maximumLength: Self.maximumLength, lengthUnit: "bytes", alphabetNote: "")
        for index in bytes.indices.dropLast() where bytes[index] == ValueGrammar.dot && bytes[index + 1] == ValueGrammar.dot {
            throw ValidationError(field: field, reason: "must not contain '..'")
        }
        value = raw
    }

    /// The interface name.
    public var description: String { value }
}
