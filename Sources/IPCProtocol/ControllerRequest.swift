/// The controller's HTTP request a command is sent for, as the front saw it: the request id, the
/// method and path, and the client certificate that authenticated the TLS connection.
///
/// The helper puts these on every audit record of the command. They are the front's claim: the
/// helper cannot check them (it sees only the front's uid), so an auditor reads them as "the
/// unprivileged front said so". Every field is bounded printable ASCII, validated on decode, so a
/// record never carries hostile bytes.
/// ```
/// let origin = try ControllerRequest(requestID: id, method: "PUT", path: "/1.0/loadbalancer/…/haproxy",
///                                    clientSubject: "CN=controller", clientFingerprint: sha256Hex)
/// ```
public struct ControllerRequest: Sendable, Equatable, Codable {
    /// The longest path and client subject carried (bytes).
    public static let maximumPathLength = 1024
    public static let maximumSubjectLength = 1024
    /// The longest method name (`DELETE`, `OPTIONS`: 7; room for extensions).
    public static let maximumMethodLength = 16

    /// `X-Openstack-Request-Id`: the controller's, when it sent a valid one, else the front's own.
    public let requestID: OpenStackRequestID
    /// The HTTP method, upper-case letters (`PUT`).
    public let method: String
    /// The request path as received (percent-encoded, printable ASCII, no query).
    public let path: String
    /// The client certificate's subject (RFC 4514 text, non-ASCII escaped as `\XX`); nil only
    /// when the connection had no client certificate (never with the front's mandatory mutual TLS).
    public let clientSubject: String?
    /// The SHA-256 of the client certificate's DER encoding, lowercase hex; nil as ``clientSubject``.
    public let clientFingerprint: String?

    /// Validates every field; nothing outside the grammar is kept.
    public init(
        requestID: OpenStackRequestID, method: String, path: String, clientSubject: String?, clientFingerprint: String?
    ) throws(ValidationError) {
        let upper = method.utf8.allSatisfy(ValueGrammar.isUpperLetter)
        guard !method.isEmpty, method.utf8.count <= Self.maximumMethodLength, upper else {
            throw ValidationError(field: "method", reason: "must be 1 to \(Self.maximumMethodLength) upper-case ASCII letters")
        }
        guard path.utf8.first == ValueGrammar.slash, path.utf8.count <= Self.maximumPathLength,
            path.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else {
            throw ValidationError(field: "path", reason: "must start with / and be at most \(Self.maximumPathLength) printable ASCII bytes without spaces")
        }
        guard (clientSubject == nil) == (clientFingerprint == nil) else {
            throw ValidationError(field: "client_subject", reason: "must come with client_sha256")
        }
        if let clientSubject {
            guard clientSubject.utf8.count <= Self.maximumSubjectLength, clientSubject.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
                throw ValidationError(field: "client_subject", reason: "must be at most \(Self.maximumSubjectLength) printable ASCII bytes")
            }
        }
        if let clientFingerprint {
            guard clientFingerprint.utf8.count == 64,
                clientFingerprint.utf8.allSatisfy({ ValueGrammar.isDigit($0) || ValueGrammar.isLowerHexLetter($0) })
            else {
                throw ValidationError(field: "client_sha256", reason: "must be 64 lowercase hex digits")
            }
        }
        self.requestID = requestID
        self.method = method
        self.path = path
        self.clientSubject = clientSubject
        self.clientFingerprint = clientFingerprint
    }

    enum CodingKeys: String, CodingKey {
        case requestID, method, path, clientSubject, clientFingerprint
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        do {
            try self.init(
                requestID: try container.decode(OpenStackRequestID.self, forKey: .requestID),
                method: try container.decode(String.self, forKey: .method),
                path: try container.decode(String.self, forKey: .path),
                clientSubject: try container.decodeIfPresent(String.self, forKey: .clientSubject),
                clientFingerprint: try container.decodeIfPresent(String.self, forKey: .clientFingerprint))
        } catch let error as ValidationError {
            throw ValueGrammar.corrupted(error, decoder)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(requestID, forKey: .requestID)
        try container.encode(method, forKey: .method)
        try container.encode(path, forKey: .path)
        try container.encodeIfPresent(clientSubject, forKey: .clientSubject)
        try container.encodeIfPresent(clientFingerprint, forKey: .clientFingerprint)
    }
}

/// An OpenStack request id as oslo.context makes it: `req-` and a canonical lowercase UUID.
/// ```
/// let id = OpenStackRequestID(header) ?? .generate()
/// ```
public struct OpenStackRequestID: ValidatedText {
    /// The 40-character text.
    public let value: String

    /// The input's name in a refusal when the caller names none.
    public static let defaultField = "request_id"

    /// Validates `raw` as `req-<uuid>` (lowercase, 8-4-4-4-12).
    public init(validating raw: String, field: String = defaultField) throws(ValidationError) {
        guard raw.utf8.count == 40, raw.utf8.starts(with: "req-".utf8),
            (try? ResourceID(validating: String(raw.dropFirst(4)))) != nil
        else {
            throw ValidationError(field: field, reason: "must be req- followed by a lowercase UUID")
        }
        value = raw
    }

    /// A new random (version 4) request id.
    public static func generate() -> OpenStackRequestID {
        // Two 64-bit draws (two getrandom calls), not one per byte: this runs for every request.
        var generator = SystemRandomNumberGenerator()
        let random = [generator.next(), generator.next()] as [UInt64]
        var bytes = random.flatMap { word in (0..<8).map { UInt8(truncatingIfNeeded: word >> (56 - 8 * $0)) } }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let digits = Array("0123456789abcdef".utf8)
        var text = Array("req-".utf8)
        text.reserveCapacity(40)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        // The shape is right by construction (the unit tests validate generated ids).
        return OpenStackRequestID(unchecked: String(decoding: text, as: UTF8.self))
    }

    private init(unchecked: String) { value = unchecked }

    /// The 40-character text.
    public var description: String { value }
}
