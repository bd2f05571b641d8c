import IPCProtocol

/// The filters of `amphora-helper audit-show`, and its two renderings of a record.
public struct AuditQuery: Sendable {
    /// Records at or after this time (RFC 3339 UTC as the log writes it; a prefix such as
    /// `2026-12-02T10` works, times compare as text).
    public var since: String?
    /// Records before this time (same form).
    public var until: String?
    /// The request id (`request_id` or `request` member).
    public var requestID: String?
    public var event: String?
    /// The program run (`argv[0]` or its last path component, or a `program` member).
    public var program: String?

    public init(since: String? = nil, until: String? = nil, requestID: String? = nil, event: String? = nil, program: String? = nil) {
        self.since = since
        self.until = until
        self.requestID = requestID
        self.event = event
        self.program = program
    }

    /// Whether `record` passes every filter given.
    public func matches(_ record: AuditRecord) -> Bool {
        if let since, record.time < since { return false }
        if let until, record.time >= until { return false }
        if let event, record.event != event { return false }
        if let requestID {
            let values = ["request_id", "request"].compactMap { record.member($0).flatMap(Self.text) }
            guard values.contains(requestID) else { return false }
        }
        if let program {
            var names: [String] = []
            if let value = record.member("program"), let text = Self.text(value) { names.append(text) }
            if case .array(let argv)? = record.member("argv"), let first = argv.first, let text = Self.text(first) {
                names.append(text)
                if let slash = text.lastIndex(of: "/") { names.append(String(text[text.index(after: slash)...])) }
            }
            guard names.contains(program) else { return false }
        }
        return true
    }

    static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text), .number(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        default: return nil
        }
    }

    /// One line for people: `seq time event key=value ...` (chain members left out). Every printed
    /// part that is not plain printable ASCII (space included) is shown as a JSON string with
    /// everything outside printable ASCII escaped (`\uXXXX`), so that no control character (C0, C1),
    /// bidi control or look-alike letter reaches the terminal; other values as JSON, escaped the same way.
    public static func human(_ record: AuditRecord) -> String {
        let hidden: Set<String> = ["seq", "time", "prev", "epoch", "event", "hash", "seal"]
        var out = "\(record.sequence) \(printable(record.time)) \(printable(record.event))"
        for (name, value) in record.members where !hidden.contains(name) {
            let rendered: String
            if case .string(let text) = value {
                rendered = printable(text)
            } else {
                rendered = asciiOnly(String(decoding: value.serialized(), as: UTF8.self))
            }
            out += " \(printable(name))=\(rendered)"
        }
        return out
    }

    /// `text` as is when it is printable ASCII without spaces, else as a JSON string escaped to ASCII.
    static func printable(_ text: String) -> String {
        if !text.isEmpty, text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) { return text }
        return asciiOnly(String(decoding: JSONValue.string(text).serialized(), as: UTF8.self))
    }

    /// JSON text with every scalar outside printable ASCII as `\uXXXX` (UTF-16, so still JSON).
    static func asciiOnly(_ json: String) -> String {
        var out = ""
        for scalar in json.unicodeScalars {
            if scalar.value >= 0x20, scalar.value < 0x7F {
                out.unicodeScalars.append(scalar)
            } else {
                for unit in String(scalar).utf16 {
                    let hex = String(unit, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                }
            }
        }
        return out
    }
}
