/// Codable over ``JSONValue`` with strict decoding: an object key the target type does not declare
/// is an error, so a frame with an unknown field or an unknown command case is refused instead of
/// silently ignored.
/// ```
/// let bytes = try StrictJSON.encode(envelope)
/// let back = try StrictJSON.decode(RequestEnvelope.self, from: bytes)
/// ```
public enum StrictJSON {
    /// Parses `bytes` and decodes a `T`, refusing unknown keys anywhere in the document. The
    /// document may hold at most `T`'s ``BoundedJSONDocument/maximumJSONElements`` values when
    /// `T` declares it, ``JSONValue/maximumElements`` otherwise.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let budget = (type as? any BoundedJSONDocument.Type)?.maximumJSONElements ?? JSONValue.maximumElements
        return try decode(type, from: JSONValue(parsing: bytes, maximumElements: budget))
    }

    /// Decodes a `T` from an already parsed document, refusing unknown keys.
    public static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try T(from: StrictDecoder(value: value, codingPath: []))
    }

    /// Encodes `value` as compact JSON bytes.
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        try encodeValue(value).serialized()
    }

    /// Encodes `value` into a ``JSONValue`` tree.
    public static func encodeValue<T: Encodable>(_ value: T) throws -> JSONValue {
        let root = EncodingNode()
        try value.encode(to: StrictEncoder(node: root, codingPath: []))
        return root.value
    }
}

/// A top-level document type that sets its own limit on the number of JSON values
/// (``StrictJSON`` applies it while parsing the bytes of one).
public protocol BoundedJSONDocument {
    /// The most values a document of this type may hold; see ``JSONValue/maximumElements``.
    static var maximumJSONElements: Int { get }
}

/// A string coding key, for messages and nested paths.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

// MARK: - Decoding

struct StrictDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else {
            throw DecodingError.typeMismatch(
                [String: String].self, .init(codingPath: codingPath, debugDescription: "expected an object"))
        }
        var dictionary: [String: JSONValue] = [:]
        for (key, member) in members {
            guard Key(stringValue: key) != nil else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: codingPath, debugDescription: "unknown key \"\(InputText.sanitizedForMessage(key))\""))
            }
            dictionary[key] = member
        }
        return KeyedDecodingContainer(StrictKeyedDecoding<Key>(members: dictionary, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else {
            throw DecodingError.typeMismatch(
                [String].self, .init(codingPath: codingPath, debugDescription: "expected an array"))
        }
        return StrictUnkeyedDecoding(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        StrictSingleValueDecoding(value: value, codingPath: codingPath)
    }
}

/// Scalar conversions shared by the three container kinds.
enum JSONScalar {
    static func mismatch<T>(_ type: T.Type, _ path: [any CodingKey], _ what: String) -> DecodingError {
        .typeMismatch(type, .init(codingPath: path, debugDescription: "expected \(what)"))
    }

    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, path: [any CodingKey]) throws -> T {
        switch type {
        case is Bool.Type:
            guard case .bool(let b) = value else { throw mismatch(type, path, "a boolean") }
            return unsafeBitCastIfSame(b, T.self)
        case is String.Type:
            guard case .string(let s) = value else { throw mismatch(type, path, "a string") }
            return unsafeBitCastIfSame(s, T.self)
        case is Double.Type:
            guard case .number(let n) = value, let d = Double(n), d.isFinite else { throw mismatch(type, path, "a number") }
            return unsafeBitCastIfSame(d, T.self)
        case is Float.Type:
            guard case .number(let n) = value, let f = Float(n), f.isFinite else { throw mismatch(type, path, "a number") }
            return unsafeBitCastIfSame(f, T.self)
        case is Int.Type: return unsafeBitCastIfSame(try integer(Int.self, value, path), T.self)
        case is Int8.Type: return unsafeBitCastIfSame(try integer(Int8.self, value, path), T.self)
        case is Int16.Type: return unsafeBitCastIfSame(try integer(Int16.self, value, path), T.self)
        case is Int32.Type: return unsafeBitCastIfSame(try integer(Int32.self, value, path), T.self)
        case is Int64.Type: return unsafeBitCastIfSame(try integer(Int64.self, value, path), T.self)
        case is UInt.Type: return unsafeBitCastIfSame(try integer(UInt.self, value, path), T.self)
        case is UInt8.Type: return unsafeBitCastIfSame(try integer(UInt8.self, value, path), T.self)
        case is UInt16.Type: return unsafeBitCastIfSame(try integer(UInt16.self, value, path), T.self)
        case is UInt32.Type: return unsafeBitCastIfSame(try integer(UInt32.self, value, path), T.self)
        case is UInt64.Type: return unsafeBitCastIfSame(try integer(UInt64.self, value, path), T.self)
        default:
            return try T(from: StrictDecoder(value: value, codingPath: path))
        }
    }

    static func integer<I: FixedWidthInteger>(_ type: I.Type, _ value: JSONValue, _ path: [any CodingKey]) throws -> I {
        guard case .number(let n) = value, let i = I(n) else { throw mismatch(type, path, "an integer") }
        return i
    }

    /// Returns `value` as `T` where the caller has already checked that `T` is `V`.
    static func unsafeBitCastIfSame<V, T>(_ value: V, _: T.Type) -> T {
        // The `is` checks above guarantee the cast succeeds.
        value as? T ?? { preconditionFailure("type dispatch mismatch") }()
    }
}

struct StrictKeyedDecoding<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    func member(_ key: Key) throws -> JSONValue {
        guard let v = members[key.stringValue] else {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: codingPath, debugDescription: "missing key \"\(key.stringValue)\""))
        }
        return v
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try member(key) { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try JSONScalar.decode(type, from: member(key), path: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try StrictDecoder(value: member(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try StrictDecoder(value: member(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        StrictDecoder(value: members["super"] ?? .null, codingPath: codingPath)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        StrictDecoder(value: try member(key), codingPath: codingPath + [key])
    }
}

struct StrictUnkeyedDecoding: UnkeyedDecodingContainer {
    let items: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(items: [JSONValue], codingPath: [any CodingKey]) {
        self.items = items
        self.codingPath = codingPath
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    mutating func next() throws -> (JSONValue, [any CodingKey]) {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                JSONValue.self, .init(codingPath: codingPath, debugDescription: "array ended early"))
        }
        defer { currentIndex += 1 }
        return (items[currentIndex], codingPath + [AnyCodingKey(intValue: currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, case .null = items[currentIndex] else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, path) = try next()
        return try JSONScalar.decode(type, from: value, path: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        let (value, path) = try next()
        return try StrictDecoder(value: value, codingPath: path).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (value, path) = try next()
        return try StrictDecoder(value: value, codingPath: path).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (value, path) = try next()
        return StrictDecoder(value: value, codingPath: path)
    }
}

struct StrictSingleValueDecoding: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool {
        if case .null = value { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONScalar.decode(type, from: value, path: codingPath)
    }
}

// MARK: - Encoding

/// A mutable tree the encoder containers write into.
final class EncodingNode {
    enum Content {
        case unset
        case scalar(JSONValue)
        case object([(String, EncodingNode)])
        case array([EncodingNode])
    }
    var content: Content = .unset

    var value: JSONValue {
        switch content {
        case .unset: return .object([])
        case .scalar(let v): return v
        case .object(let members): return .object(members.map { ($0.0, $0.1.value) })
        case .array(let items): return .array(items.map(\.value))
        }
    }

    func child(forKey key: String) -> EncodingNode {
        var members: [(String, EncodingNode)]
        if case .object(let existing) = content { members = existing } else { members = [] }
        if let found = members.first(where: { $0.0 == key }) { return found.1 }
        let node = EncodingNode()
        members.append((key, node))
        content = .object(members)
        return node
    }

    func appendChild() -> EncodingNode {
        var items: [EncodingNode]
        if case .array(let existing) = content { items = existing } else { items = [] }
        let node = EncodingNode()
        items.append(node)
        content = .array(items)
        return node
    }

    func makeObject() { if case .object = content {} else { content = .object([]) } }
    func makeArray() { if case .array = content {} else { content = .array([]) } }
}

struct StrictEncoder: Encoder {
    let node: EncodingNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(StrictKeyedEncoding<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return StrictUnkeyedEncoding(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        StrictSingleValueEncoding(node: node, codingPath: codingPath)
    }
}

enum JSONScalarEncoding {
    static func encode<T: Encodable>(_ value: T, into node: EncodingNode, path: [any CodingKey]) throws {
        switch value {
        case let b as Bool: node.content = .scalar(.bool(b))
        case let s as String: node.content = .scalar(.string(s))
        case let d as Double:
            guard d.isFinite else {
                throw EncodingError.invalidValue(d, .init(codingPath: path, debugDescription: "non-finite number"))
            }
            node.content = .scalar(.number(d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)))
        case let f as Float:
            guard f.isFinite else {
                throw EncodingError.invalidValue(f, .init(codingPath: path, debugDescription: "non-finite number"))
            }
            node.content = .scalar(.number(String(f)))
        case let i as any FixedWidthInteger: node.content = .scalar(.number(String(describing: i)))
        default: try value.encode(to: StrictEncoder(node: node, codingPath: path))
        }
    }
}

struct StrictKeyedEncoding<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: EncodingNode
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { node.child(forKey: key.stringValue).content = .scalar(.null) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try JSONScalarEncoding.encode(value, into: node.child(forKey: key.stringValue), path: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        StrictEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        StrictEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        StrictEncoder(node: node.child(forKey: "super"), codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        StrictEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key])
    }
}

struct StrictUnkeyedEncoding: UnkeyedEncodingContainer {
    let node: EncodingNode
    let codingPath: [any CodingKey]
    var count: Int {
        if case .array(let items) = node.content { return items.count }
        return 0
    }

    mutating func encodeNil() throws { node.appendChild().content = .scalar(.null) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = codingPath + [AnyCodingKey(intValue: count)]
        try JSONScalarEncoding.encode(value, into: node.appendChild(), path: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        StrictEncoder(node: node.appendChild(), codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        StrictEncoder(node: node.appendChild(), codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        StrictEncoder(node: node.appendChild(), codingPath: codingPath)
    }
}

struct StrictSingleValueEncoding: SingleValueEncodingContainer {
    let node: EncodingNode
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.content = .scalar(.null) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try JSONScalarEncoding.encode(value, into: node, path: codingPath)
    }
}
