import Confinement
import IPCProtocol

/// The allow-list a UDP listener's keepalived configuration is checked against (`policy/keepalived-lvs.txt`,
/// compiled in): which keywords it may use and which programs keepalived may execute for it.
public struct LVSConfigPolicy: Sendable {
    public static let fileName = "keepalived-lvs.txt"

    public var keywords: Set<String>
    /// Keywords whose value is a command line (`misc_path`, `notify_up` ...).
    public var scriptKeywords: Set<String>
    /// Programs those command lines may start with (absolute paths, `{base_path}` substituted, or
    /// the bare name of the agent's `amphora-health-checker`).
    public var scripts: Set<String>
    /// The only `net_namespace` a configuration may name (the amphora namespace).
    public var namespace: String

    /// Parses the policy text; a malformed line is an error (the file is ours, compiled in).
    public init(text: String, basePath: String, namespace: String) throws(CommandError) {
        keywords = []
        scriptKeywords = []
        scripts = []
        self.namespace = namespace
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard !words.isEmpty else { continue }
            guard words.count == 2 else { throw CommandError(.internalError, "malformed line in \(Self.fileName): \(raw)") }
            switch words[0] {
            case "keyword": keywords.insert(words[1])
            case "script-keyword": scriptKeywords.insert(words[1])
            case "script": scripts.insert(words[1].replacingOccurrences(of: "{base_path}", with: basePath))
            default: throw CommandError(.internalError, "unknown rule in \(Self.fileName): \(words[0])")
            }
        }
    }

    /// The compiled-in policy.
    public static func embedded(basePath: String, namespace: String) throws(CommandError) -> LVSConfigPolicy {
        guard let text = EmbeddedPolicy.files[fileName] else { throw CommandError(.internalError, "\(fileName) is not compiled in") }
        return try LVSConfigPolicy(text: text, basePath: basePath, namespace: namespace)
    }

    /// What a checked configuration contains.
    public struct Summary: Sendable, Equatable {
        /// Top-level `virtual_server` blocks.
        public var virtualServers: Int
        /// `real_server` blocks inside them.
        public var realServers: Int
        /// Programs the configuration makes keepalived execute (all in ``scripts``).
        public var scriptsUsed: Set<String>
    }

    /// Checks `text` as a keepalived LVS configuration; the error's details name the line and the reason.
    public func check(_ text: String) throws(CommandError) -> Summary {
        func refuse(_ number: Int, _ reason: String) -> CommandError {
            CommandError(.badRequest, "Invalid request", details: "keepalived configuration line \(number): \(reason)")
        }
        guard !text.utf8.contains(0) else { throw CommandError(.badRequest, "Invalid request", details: "NUL byte in configuration") }
        var stack: [String] = []
        var summary = Summary(virtualServers: 0, realServers: 0, scriptsUsed: [])
        var number = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let tokens: [String]
            do {
                tokens = try Self.tokens(String(rawLine))
            } catch {
                throw refuse(number, error.reason)
            }
            guard let first = tokens.first else { continue }
            if let marker = first.first, marker == "@" || marker == "$" || marker == "~" {
                throw refuse(number, "conditional, parameter and sequence lines are not allowed")
            }
            if first == "}" {
                guard tokens.count == 1 else { throw refuse(number, "text after '}'") }
                guard stack.popLast() != nil else { throw refuse(number, "unbalanced '}'") }
                continue
            }
            let opensBlock = tokens.last == "{"
            let words = opensBlock ? Array(tokens.dropLast()) : tokens
            guard !words.contains("{"), !words.contains("}") else { throw refuse(number, "one block per line") }
            // Inside a virtual_server_group, lines are members: `ADDRESS PORT`, `ADDRESS-RANGE PORT` or `fwmark N`.
            if stack.last == "virtual_server_group" {
                guard !opensBlock, words.count <= 2, words.allSatisfy({ Self.isPlainWord($0) }) else {
                    throw refuse(number, "a virtual_server_group holds only address and port lines")
                }
                continue
            }
            guard keywords.contains(first) || scriptKeywords.contains(first) else {
                throw refuse(number, "keyword '\(first)' is not allowed in a UDP listener configuration")
            }
            switch first {
            case "virtual_server", "virtual_server_group":
                guard stack.isEmpty else { throw refuse(number, "\(first) must be at the top level") }
                guard opensBlock, words.count >= 2, words.count <= 3 else { throw refuse(number, "\(first) needs a name or address and a block") }
                if first == "virtual_server" { summary.virtualServers += 1 }
            case "real_server":
                guard stack.last == "virtual_server" else { throw refuse(number, "real_server must be inside a virtual_server") }
                guard opensBlock, words.count == 3 else { throw refuse(number, "real_server needs an address, a port and a block") }
                summary.realServers += 1
            case "net_namespace":
                guard stack.isEmpty, words.count == 2 else { throw refuse(number, "net_namespace takes one name at the top level") }
                guard words[1] == namespace else {
                    throw refuse(number, "net_namespace must be the amphora namespace '\(namespace)', not '\(words[1])'")
                }
            default:
                guard !stack.isEmpty else { throw refuse(number, "\(first) must be inside a virtual_server") }
            }
            if scriptKeywords.contains(first) {
                guard !opensBlock, words.count >= 2 else { throw refuse(number, "\(first) needs a command") }
                let command = words.dropFirst().joined(separator: " ").split(separator: " ").map(String.init)
                guard let program = command.first, scripts.contains(program) else {
                    throw refuse(number, "\(first) may only run the agent's own check programs (\(scripts.sorted().joined(separator: ", ")))")
                }
                guard command.dropFirst().allSatisfy({ Self.isPlainWord($0) }) else {
                    throw refuse(number, "\(first) arguments must be plain words (letters, digits, '.', ':', '_', '/', '-')")
                }
                summary.scriptsUsed.insert(program)
            } else if first == "path" {
                // An HTTP_GET url path: any printable text without quotes, spaces or backslashes.
                guard words.count == 2, !words[1].contains(where: { "\"'`\\".contains($0) }) else {
                    throw refuse(number, "path takes one URL path")
                }
            } else {
                guard words.dropFirst().allSatisfy({ Self.isPlainWord($0) }) else {
                    throw refuse(number, "values must be plain words (letters, digits, '.', ':', '_', '/', '-')")
                }
            }
            if opensBlock {
                guard stack.count < 6 else { throw refuse(number, "blocks nested too deeply") }
                stack.append(first)
            }
        }
        guard stack.isEmpty else { throw CommandError(.badRequest, "Invalid request", details: "keepalived configuration: \(stack.count) unclosed block(s)") }
        return summary
    }

    /// Letters, digits and `. : _ / - ,` only: no quotes, shell syntax or spaces.
    static func isPlainWord(_ word: String) -> Bool {
        !word.isEmpty && word.utf8.count <= 256
            && word.utf8.allSatisfy { c in
                (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                    || c == UInt8(ascii: ".") || c == UInt8(ascii: ":") || c == UInt8(ascii: "_") || c == UInt8(ascii: "/")
                    || c == UInt8(ascii: "-") || c == UInt8(ascii: ",")
            }
    }

    /// Splits one line as keepalived does: `#` and `!` start a comment, `"..."` is one token, braces are tokens.
    static func tokens(_ line: String) throws(ValidationError) -> [String] {
        var tokens: [String] = []
        var current = ""
        var quoted = false
        func flush() {
            if !current.isEmpty { tokens.append(current) }
            current = ""
        }
        for character in line {
            if quoted {
                if character == "\"" {
                    quoted = false
                    tokens.append(current)
                    current = ""
                } else {
                    current.append(character)
                }
                continue
            }
            switch character {
            case "#", "!":
                flush()
                return tokens
            case "\"":
                flush()
                quoted = true
            case "{", "}":
                flush()
                tokens.append(String(character))
            case " ", "\t", "\r":
                flush()
            default:
                guard let ascii = character.asciiValue, ascii >= 0x20, ascii < 0x7F else {
                    throw ValidationError(field: "config", reason: "only printable ASCII is allowed")
                }
                current.append(character)
            }
        }
        guard !quoted else { throw ValidationError(field: "config", reason: "unterminated quoted string") }
        flush()
        return tokens
    }
}
