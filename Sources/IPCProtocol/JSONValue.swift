/// A parsed JSON document, as the IPC layer sees it.
///
/// The parser is strict on purpose: UTF-8 only, no duplicate keys, no trailing bytes, a nesting
/// limit, a limit on the number of values, and numbers kept as their exact text so that nothing is
/// rounded on the way through.
/// ```
/// let value = try JSONValue(parsing: Array(#"{"a": [1, true]}"#.utf8))
/// ```
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number as written (validated JSON number grammar).
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in document order; keys are unique.
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The deepest nesting of arrays and objects the parser accepts.
    public static let maximumDepth = 32

    /// The most values (every string, number, literal, array and object counts one; an object
    /// member counts as its value) a document may hold unless the caller says otherwise.
    ///
    /// The tree costs memory per value, not per byte: `[[],[],...]` is 3 bytes per value in the
    /// text and tens of bytes per value once parsed, so a frame within the byte cap could still
    /// cost the helper many times its size. The cap bounds that. Its size, from the largest
    /// legitimate command (see ``RequestEnvelope/maximumJSONElements``):
    /// * `setInterfaceRules` with ``InterfaceRules/maximumRules`` (4,096) rules: each rule is an
    ///   object with three members (4 values), plus 8 for the envelope, the command and the rule
    ///   list: 4,096 × 4 + 8 = 16,392 values.
    /// * `plugVIP`: a ``SubnetAddress`` is 5 values plus 3 per host route, at most
    ///   5 + 64 × 3 = 197; the VIP and 16 additional VIPs: 17 × 197 + 11 = 3,360 values.
    /// * `plugNetwork`: 16 × 197 + 10 = 3,162 values. Every other command is a few values or one
    ///   long string.
    /// 65,536 (2^16) leaves four times the largest command, and bounds a parsed request to a few
    /// MiB on top of its text.
    public static let maximumElements = 1 << 16

    /// Parses exactly one JSON value from `bytes`; whitespace may surround it, nothing else may.
    /// More than `maximumElements` values is refused as soon as the parser meets the first value
    /// too many.
    public init(parsing bytes: [UInt8], maximumElements: Int = JSONValue.maximumElements) throws(JSONError) {
        var parser = JSONParser(bytes: bytes, maximumElements: maximumElements)
        self = try parser.parseDocument()
    }

    /// Serialises the value as compact JSON (UTF-8, no insignificant whitespace).
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        write(to: &out)
        return out
    }

    /// Serialises the value as a compact JSON string.
    public var jsonText: String { String(decoding: serialized(), as: UTF8.self) }

    func write(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): out.append(contentsOf: n.utf8)
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.writeString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                value.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func writeString(_ s: String, to out: inout [UInt8]) {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20, 0x7F:
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// Why a JSON document was refused.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public let offset: Int
    public init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }
    public var description: String { "invalid JSON at byte \(offset): \(message)" }
}

/// A recursive-descent parser over UTF-8 bytes.
struct JSONParser {
    let bytes: [UInt8]
    let maximumElements: Int
    var index = 0
    /// Values met so far (see ``JSONValue/maximumElements``).
    var elements = 0

    init(bytes: [UInt8], maximumElements: Int = JSONValue.maximumElements) {
        self.bytes = bytes
        self.maximumElements = maximumElements
    }

    mutating func parseDocument() throws(JSONError) -> JSONValue {
        // Reject invalid UTF-8 up front: String(validating:) would be simpler but is not in every stdlib.
        guard JSONParser.isValidUTF8(bytes) else { throw JSONError("not valid UTF-8", offset: 0) }
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard index == bytes.count else { throw JSONError("trailing data", offset: index) }
        return value
    }

    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }

    mutating func parseValue(depth: Int) throws(JSONError) -> JSONValue {
        guard depth <= JSONValue.maximumDepth else { throw JSONError("nested too deeply", offset: index) }
        guard index < bytes.count else { throw JSONError("unexpected end", offset: index) }
        elements += 1
        guard elements <= maximumElements else {
            throw JSONError("more than \(maximumElements) values (arrays, objects, strings, numbers, literals)", offset: index)
        }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw JSONError("unexpected character", offset: index)
        }
    }

    mutating func expectLiteral(_ literal: String) throws(JSONError) {
        let lit = Array(literal.utf8)
        guard index + lit.count <= bytes.count, Array(bytes[index..<index + lit.count]) == lit else {
            throw JSONError("invalid literal", offset: index)
        }
        index += lit.count
    }

    mutating func parseObject(depth: Int) throws(JSONError) -> JSONValue {
        index += 1
        var members: [(String, JSONValue)] = []
        var seen = Set<String>()
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object([]) }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw JSONError("expected a key", offset: index)
            }
            let keyOffset = index
            let key = try parseString()
            guard seen.insert(key).inserted else { throw JSONError("duplicate key", offset: keyOffset) }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw JSONError("expected ':'", offset: index)
            }
            index += 1
            skipWhitespace()
            members.append((key, try parseValue(depth: depth)))
            skipWhitespace()
            guard index < bytes.count else { throw JSONError("unexpected end", offset: index) }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            throw JSONError("expected ',' or '}'", offset: index)
        }
    }

    mutating func parseArray(depth: Int) throws(JSONError) -> JSONValue {
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array([]) }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw JSONError("unexpected end", offset: index) }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            throw JSONError("expected ',' or ']'", offset: index)
        }
    }

    mutating func parseNumber() throws(JSONError) -> String {
        let start = index
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw JSONError("invalid number", offset: start) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw JSONError("invalid number", offset: start) }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw JSONError("invalid number", offset: start) }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        guard index - start <= 64 else { throw JSONError("number too long", offset: start) }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    mutating func parseString() throws(JSONError) -> String {
        let start = index
        index += 1
        var out: [UInt8] = []
        while true {
            guard index < bytes.count else { throw JSONError("unterminated string", offset: start) }
            let b = bytes[index]
            switch b {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw JSONError("unterminated escape", offset: index) }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try parseHex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                            bytes[index + 1] == UInt8(ascii: "u")
                        else { throw JSONError("unpaired surrogate", offset: index) }
                        index += 2
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw JSONError("unpaired surrogate", offset: index) }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw JSONError("unpaired surrogate", offset: index)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw JSONError("invalid escape", offset: index) }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default: throw JSONError("invalid escape", offset: index - 1)
                }
            case 0..<0x20:
                throw JSONError("control character in string", offset: index)
            default:
                out.append(b)
                index += 1
            }
        }
    }

    mutating func parseHex4() throws(JSONError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw JSONError("invalid \\u escape", offset: index) }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[index]
            let d: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw JSONError("invalid \\u escape", offset: index)
            }
            v = v << 4 | d
            index += 1
        }
        return v
    }
}
