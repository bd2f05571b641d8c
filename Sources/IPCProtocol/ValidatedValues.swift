// Validated values shared by the front and the helper.
//
// Every type in the Value*.swift files follows one rule: a value that exists is valid and
// canonical. Validation works on the exact UTF-8 bytes of the input (never on a normalised copy,
// and never with `String ==`, which treats e.g. U+212A KELVIN SIGN as equal to "K"), and every
// grammar is plain ASCII. Standard library only: this module imports nothing.

/// Why a value was refused; `field` names the input (e.g. "subnet_cidr"), `reason` is a short human sentence.
public struct ValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The name of the refused input, as the API calls it.
    public let field: String
    /// A short human sentence that explains the refusal.
    public let reason: String

    /// Creates an error for `field` with a human-readable `reason`.
    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    /// `"<field>: <reason>"`.
    public var description: String { "\(field): \(reason)" }
}

/// Helpers for echoing untrusted text in error messages and logs.
public enum InputText {
    /// Returns `raw` with control characters replaced by `?`, cut to at most `limit` characters.
    ///
    /// "Control characters" are the Unicode scalars of general category Cc (C0, DEL, C1, so
    /// including NUL, `\n`, `\r`, `\t`), Cf (format characters such as the bidi overrides
    /// U+202E and zero-width characters), Zl and Zp (U+2028, U+2029). The limit counts Unicode
    /// scalars, not grapheme clusters, so the result stays bounded even for input made of one
    /// base character followed by thousands of combining marks. A negative limit counts as zero.
    public static func sanitizedForMessage(_ raw: String, limit: Int = 64) -> String {
        guard limit > 0 else { return "" }
        var result = String.UnicodeScalarView()
        var taken = 0
        for scalar in raw.unicodeScalars {
            guard taken < limit else { break }
            result.append(isUnsafeInMessage(scalar) ? "?" : scalar)
            taken += 1
        }
        return String(result)
    }

    private static func isUnsafeInMessage(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate:
            return true
        default:
            return false
        }
    }
}

/// Byte-level grammar helpers shared by the validated value types.
enum ValueGrammar {
    static let colon = UInt8(ascii: ":")
    static let dot = UInt8(ascii: ".")
    static let hyphen = UInt8(ascii: "-")
    static let underscore = UInt8(ascii: "_")
    static let slash = UInt8(ascii: "/")
    static let percent = UInt8(ascii: "%")
    static let zero = UInt8(ascii: "0")

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    static func isLowerHexLetter(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f")
    }

    static func isUpperHexLetter(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F")
    }

    static func isUpperLetter(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")
    }

    static func isLowerLetter(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
    }

    static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || isUpperLetter(byte) || isLowerLetter(byte)
    }

    /// `[A-Za-z0-9_-]`
    static func isNameByte(_ byte: UInt8) -> Bool {
        isLetterOrDigit(byte) || byte == underscore || byte == hyphen
    }

    /// Refuses an empty `raw` ("must not be empty") and one that is not exactly `length` bytes long
    /// (`shape`, the sentence that describes the fixed-width form).
    static func requireLength(_ raw: String, _ length: Int, field: String, shape: String) throws(ValidationError) {
        guard !raw.isEmpty else {
            throw ValidationError(field: field, reason: "must not be empty")
        }
        guard raw.utf8.count == length else {
            throw ValidationError(field: field, reason: shape)
        }
    }

    /// The checks certificate file names and interface names share: 1 to `maximumLength` bytes of
    /// `[A-Za-z0-9_.-]`, the first a letter or digit. Returns the bytes; refusals name `field`.
    static func dottedNameBytes(
        _ raw: String, field: String, maximumLength: Int, lengthUnit: String, alphabetNote: String
    ) throws(ValidationError) -> [UInt8] {
        let count = raw.utf8.count
        guard count > 0 else {
            throw ValidationError(field: field, reason: "must not be empty")
        }
        guard count <= maximumLength else {
            throw ValidationError(field: field, reason: "must be at most \(maximumLength) \(lengthUnit) long")
        }
        let bytes = Array(raw.utf8)
        guard bytes.allSatisfy({ isNameByte($0) || $0 == dot }) else {
            throw ValidationError(field: field, reason: "may contain only ASCII letters, digits, '_', '-' and '.'" + alphabetNote)
        }
        guard let first = bytes.first, isLetterOrDigit(first) else {
            throw ValidationError(field: field, reason: "must start with an ASCII letter or digit")
        }
        return bytes
    }

    /// The value of a hex digit of either case, or nil.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        if isDigit(byte) { return byte - UInt8(ascii: "0") }
        if isLowerHexLetter(byte) { return byte - UInt8(ascii: "a") + 10 }
        if isUpperHexLetter(byte) { return byte - UInt8(ascii: "A") + 10 }
        return nil
    }

    /// Parses a decimal number written with 1...`maxDigits` ASCII digits and no leading zero
    /// (a lone "0" is allowed). Returns nil for anything else: signs, spaces, dots, empty.
    static func strictDecimal<Bytes: Collection<UInt8>>(_ bytes: Bytes, maxDigits: Int) -> Int? {
        guard !bytes.isEmpty, bytes.count <= maxDigits else { return nil }
        guard bytes.allSatisfy(isDigit) else { return nil }
        if bytes.count > 1, bytes.first == zero { return nil }
        var value = 0
        for byte in bytes {
            value = value * 10 + Int(byte - zero)
        }
        return value
    }

    /// The error a `Decodable` initialiser throws when the decoded text fails validation.
    static func corrupted(_ error: ValidationError, _ decoder: any Decoder) -> DecodingError {
        DecodingError.dataCorrupted(
            DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.description)
        )
    }

    /// Decodes a single string and hands it to `validate`, turning a refusal into `DecodingError`.
    static func decodeString<Value>(
        from decoder: any Decoder,
        _ validate: (String) throws(ValidationError) -> Value
    ) throws -> Value {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        do {
            return try validate(raw)
        } catch {
            throw corrupted(error, decoder)
        }
    }

    /// Encodes `text` as a single string.
    static func encodeString(_ text: String, to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

extension KeyedDecodingContainer {
    /// Decodes an array of at most `limit` entries. The count is checked before any entry is
    /// decoded (and again while decoding, for decoders that do not know it up front), so a hostile
    /// list costs no more than its first `limit` entries. The refusal reads `<field>: <reason>`,
    /// the validating initialiser's own words.
    func decodeArray<Element: Decodable>(
        _ type: Element.Type, forKey key: Key, atMost limit: Int, field: String, reason: String
    ) throws -> [Element] {
        let tooMany = DecodingError.dataCorruptedError(
            forKey: key, in: self, debugDescription: ValidationError(field: field, reason: reason).description)
        var items = try nestedUnkeyedContainer(forKey: key)
        if let count = items.count, count > limit { throw tooMany }
        var result: [Element] = []
        while !items.isAtEnd {
            guard result.count < limit else { throw tooMany }
            result.append(try items.decode(Element.self))
        }
        return result
    }
}
