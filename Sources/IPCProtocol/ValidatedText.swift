/// A validated value written as one JSON string: its canonical text (`description`) is what is
/// encoded, and decoding and `init?(_:)` go through `init(validating:field:)`, so a decoded value is
/// as valid as a constructed one. A refusal while decoding names `defaultField`.
public protocol ValidatedText: Sendable, Hashable, Codable, LosslessStringConvertible {
    /// The input's name in a refusal when the caller names none (e.g. "ip_address").
    static var defaultField: String { get }

    /// Validates `raw` (and normalises it where the type says so); a refusal names `field`.
    init(validating raw: String, field: String) throws(ValidationError)
}

extension ValidatedText {
    /// Same as `init(validating:)`, returning nil on refusal.
    public init?(_ description: String) {
        try? self.init(validating: description, field: Self.defaultField)
    }

    /// Decodes a string and validates it.
    public init(from decoder: any Decoder) throws {
        self = try ValueGrammar.decodeString(from: decoder) { raw throws(ValidationError) in
            try Self(validating: raw, field: Self.defaultField)
        }
    }

    /// Encodes the canonical text.
    public func encode(to encoder: any Encoder) throws {
        try ValueGrammar.encodeString(description, to: encoder)
    }
}
