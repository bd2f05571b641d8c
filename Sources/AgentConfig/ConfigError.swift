/// A configuration problem, described in one line that names the file, the line when known,
/// and the section, key and value at fault.
///
/// ```
/// config /etc/octavia/amphora-agent.conf line 7: expected "key = value"
/// config /etc/octavia/amphora-agent.conf line 5: [haproxy_amphora] bind_port: "abc" is not a port number (1-65535)
/// config /etc/octavia/amphora-agent.conf: [amphora_agent] amphora_id is required
/// config /etc/octavia/amphora-agent.conf: cannot read: No such file or directory
/// ```
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Problem: Sendable, Equatable {
        /// The file could not be read (the reason is `strerror` text or similar).
        case unreadable(reason: String)
        /// The INI text itself is malformed; the message says what was expected.
        case syntax(String)
        /// A known key has a value that fails validation. `reason` reads after the value,
        /// for example `is not a port number (1-65535)`.
        case invalidValue(section: String, key: String, value: String, reason: String)
        /// A key without a default is absent.
        case missingKey(section: String, key: String)
    }

    /// The file path (or another label such as `<string>`) the text came from.
    public let source: String
    /// The 1-based line number the problem is on, when it is tied to a line.
    public let line: Int?
    /// The problem itself.
    public let problem: Problem

    /// Creates an error; normally only the parser and ``AgentConfiguration`` do this.
    public init(source: String, line: Int?, problem: Problem) {
        self.source = source
        self.line = line
        self.problem = problem
    }

    /// Keys whose values are secrets: error messages never echo them.
    static let secretKeys: Set<String> = ["heartbeat_key"]

    /// The longest value echoed verbatim in a message; longer ones are cut.
    static let maximumEchoedValueLength = 120

    /// One line: `config <source>[ line <n>]: <problem>`.
    public var description: String {
        var text = "config \(source)"
        if let line { text += " line \(line)" }
        text += ": "
        switch problem {
        case .unreadable(let reason):
            text += "cannot read: \(reason)"
        case .syntax(let message):
            text += message
        case .invalidValue(let section, let key, let value, let reason):
            let shown = Self.secretKeys.contains(key) ? "(value hidden)" : Self.quoted(value)
            text += "[\(section)] \(key): \(shown) \(reason)"
        case .missingKey(let section, let key):
            text += "[\(section)] \(key) is required"
        }
        return text
    }

    /// The value in double quotes, with control characters, quotes and backslashes escaped so
    /// that the message stays on one line, cut when very long.
    static func quoted(_ value: String) -> String {
        var out = "\""
        var count = 0
        for scalar in value.unicodeScalars {
            if count == maximumEchoedValueLength {
                out += "..."
                break
            }
            count += 1
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
