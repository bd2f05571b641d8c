import IPCProtocol

/// An allow-list of keepalived configuration lines (`policy/keepalived-vrrp.txt`,
/// `policy/keepalived-lvs.txt`), checked over ``KeepalivedConfigTokenizer``'s lines.
///
/// Policy file format, one rule a line, `#` comments:
///
///     rule CONTEXT WORD... [{]     a line allowed inside the block CONTEXT ("/" for the top level,
///                                  "/vrrp_instance/authentication" inside nested blocks);
///                                  WORDs are literals (`MASTER|BACKUP` for alternatives) or
///                                  shapes (`<ip>`, `<uint>` ...); a final `{` opens a block whose
///                                  context is CONTEXT/first-word
///     script PATH                  a program a `<script>` word may name (no arguments)
///     command PROGRAM WORD...      a command line a `<command>` word ("..." quoted) may hold
///     once CONTEXT KEYWORD...      each KEYWORD may start at most one line of each CONTEXT block
///                                  (keepalived keeps the last of repeated settings, or runs
///                                  every repeated block; the template renders each once)
///
/// `{base_path}` is replaced by the agent's base_path. Only `<script>` and `<command>` words may
/// be quoted; every other word must be written plainly.
public struct KeepalivedConfigGrammar: Sendable {
    /// The kinds of argument the rules may name.
    enum Shape: String, Sendable, CaseIterable {
        case name, uint, decimal, port, ip, ipPrefix = "ip-prefix", cidr, interface, secret, script, command, namespace
        case urlPath = "url-path", ipOrUInt = "ip-or-uint"
        /// One address: an IP address, bare or with its full-length prefix (/32, /128).
        case ipHost = "ip-host"
    }

    enum Element: Sendable, Equatable {
        case literal(Set<String>)
        case shape(Shape)
    }

    struct Rule: Sendable {
        var context: String
        var elements: [Element]
        var opensBlock: Bool
    }

    let rules: [String: [Rule]]
    let scripts: Set<String>
    let commands: [[Element]]
    /// "CONTEXT KEYWORD" for every keyword a block may hold once (``onceKey(_:_:)``).
    let once: Set<String>
    let namespace: String?
    let fileName: String

    /// Parses a policy text; a malformed rule is an internal error (the file is ours, compiled in).
    public init(text: String, fileName: String, basePath: String, namespace: String?) throws(KeepalivedConfigError) {
        var rules: [String: [Rule]] = [:]
        var scripts: Set<String> = []
        var commands: [[Element]] = []
        var once: Set<String> = []
        func malformed(_ line: Substring) -> KeepalivedConfigError { .policyMalformed(fileName: fileName, line: String(line)) }
        for raw in text.split(separator: "\n") {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map {
                String($0).replacingOccurrences(of: "{base_path}", with: basePath)
            }
            guard let kind = words.first else { continue }
            switch kind {
            case "rule":
                guard words.count >= 3, words[1].hasPrefix("/") else { throw malformed(raw) }
                let opens = words.last == "{"
                let pattern = opens ? Array(words[2..<(words.count - 1)]) : Array(words[2...])
                guard !pattern.isEmpty else { throw malformed(raw) }
                var elements: [Element] = []
                for word in pattern {
                    guard let element = Self.element(word) else { throw malformed(raw) }
                    elements.append(element)
                }
                if opens, case .shape = elements[0] { throw malformed(raw) }
                rules[words[1], default: []].append(Rule(context: words[1], elements: elements, opensBlock: opens))
            case "script":
                guard words.count == 2 else { throw malformed(raw) }
                scripts.insert(words[1])
            case "command":
                guard words.count >= 2 else { throw malformed(raw) }
                var elements: [Element] = [.literal([words[1]])]
                for word in words.dropFirst(2) {
                    guard let element = Self.element(word) else { throw malformed(raw) }
                    elements.append(element)
                }
                commands.append(elements)
            case "once":
                guard words.count >= 3, words[1].hasPrefix("/") else { throw malformed(raw) }
                for keyword in words.dropFirst(2) { once.insert(Self.onceKey(words[1], keyword)) }
            default:
                throw malformed(raw)
            }
        }
        for key in once {
            let parts = key.split(separator: " ", maxSplits: 1).map(String.init)
            // The keyword must start a rule of the context, and alone: a rule `a|b` counted under
            // `a` would let `b` repeat.
            let sets = (rules[parts[0]] ?? []).compactMap { rule -> Set<String>? in
                if case .literal(let values) = rule.elements[0], values.contains(parts[1]) { return values }
                return nil
            }
            guard !sets.isEmpty, sets.allSatisfy({ $0 == [parts[1]] }) else { throw malformed("once \(key)"[...]) }
        }
        self.rules = rules
        self.scripts = scripts
        self.commands = commands
        self.once = once
        self.namespace = namespace
        self.fileName = fileName
    }

    static func onceKey(_ context: String, _ keyword: String) -> String { context + " " + keyword }

    static func element(_ word: String) -> Element? {
        if word.hasPrefix("<"), word.hasSuffix(">") {
            return Shape(rawValue: String(word.dropFirst().dropLast())).map { .shape($0) }
        }
        let alternatives = word.split(separator: "|").map(String.init)
        guard !alternatives.isEmpty, !word.contains("<"), !word.contains(">") else { return nil }
        return .literal(Set(alternatives))
    }

    /// One allowed line: where it stands and what it says.
    public struct Statement: Sendable, Equatable {
        /// The enclosing block path ("/" at the top level).
        public var context: String
        public var words: [String]
        public var line: Int
        /// The program of a `<script>` or `<command>` word, if the line has one.
        public var program: String?
    }

    /// The deepest block nesting accepted.
    static let maximumDepth = 6

    /// Checks `text` line by line; returns the allowed statements or the first refusal.
    public func check(_ text: String) throws(KeepalivedConfigRefusal) -> [Statement] {
        guard !text.utf8.contains(0) else { throw KeepalivedConfigRefusal(line: 0, reason: "NUL byte") }
        var stack: [String] = []
        // The once-only keywords each open block (and the top level) has held so far.
        var held: [Set<String>] = [[]]
        var statements: [Statement] = []
        for line in try KeepalivedConfigTokenizer.lines(text) {
            func refuse(_ reason: String) -> KeepalivedConfigRefusal { KeepalivedConfigRefusal(line: line.number, reason: reason) }
            let context = stack.isEmpty ? "/" : "/" + stack.joined(separator: "/")
            if line.closesBlock {
                guard stack.popLast() != nil else { throw refuse("unbalanced '}'") }
                held.removeLast()
                continue
            }
            let candidates = rules[context] ?? []
            let first = line.words[0].text
            let keyword = candidates.filter { rule in
                if case .literal(let values) = rule.elements[0] { return values.contains(first) }
                return false
            }
            let entries = candidates.filter { rule in
                if case .shape = rule.elements[0] { return true }
                return false
            }
            let shown = Self.shown(first)
            let place = context == "/" ? "at the top level" : "in \(context)"
            let applicable = keyword.isEmpty ? entries : keyword
            guard !applicable.isEmpty else { throw refuse("keyword '\(shown)' is not allowed \(place)") }
            var firstProblem: String?
            var matched: (Rule, String?)?
            for rule in applicable {
                switch match(rule, line) {
                case .success(let program):
                    matched = (rule, program)
                case .failure(let problem):
                    if firstProblem == nil { firstProblem = problem.reason }
                }
                if matched != nil { break }
            }
            guard let (rule, program) = matched else {
                let what = keyword.isEmpty ? "entry '\(shown)'" : "'\(shown)'"
                throw refuse("\(what) \(place): \(firstProblem ?? "not allowed")")
            }
            if once.contains(Self.onceKey(context, first)) {
                guard held[held.count - 1].insert(first).inserted else { throw refuse("'\(shown)' may appear only once \(place)") }
            }
            statements.append(Statement(context: context, words: line.words.map(\.text), line: line.number, program: program))
            if rule.opensBlock {
                guard stack.count < Self.maximumDepth else { throw refuse("blocks nested too deeply") }
                stack.append(first)
                held.append([])
            }
        }
        guard stack.isEmpty else { throw KeepalivedConfigRefusal(line: 0, reason: "\(stack.count) unclosed block(s)") }
        return statements
    }

    /// A word of the uploaded text, shortened for an error message.
    static func shown(_ word: String) -> String { word.utf8.count <= 64 ? word : String(word.prefix(64)) + "..." }

    struct Mismatch: Error {
        var reason: String
    }

    /// Whether `line` fits `rule`; the program of its script or command word on success.
    func match(_ rule: Rule, _ line: KeepalivedLine) -> Result<String?, Mismatch> {
        guard rule.opensBlock == line.opensBlock else {
            return .failure(Mismatch(reason: rule.opensBlock ? "must open a block ('{' at the end of the line)" : "does not open a block"))
        }
        guard rule.elements.count == line.words.count else {
            return .failure(Mismatch(reason: "takes \(rule.elements.count - 1) argument(s), not \(line.words.count - 1)"))
        }
        var program: String?
        for (index, (element, word)) in zip(rule.elements, line.words).enumerated() {
            switch element {
            case .literal(let values):
                guard !word.quoted, values.contains(word.text) else {
                    return .failure(Mismatch(reason: "word \(index + 1) must be \(values.sorted().joined(separator: " or "))"))
                }
            case .shape(let shape):
                if shape == .script || shape == .command {
                    switch scriptProgram(shape, word) {
                    case .success(let found): program = found
                    case .failure(let problem): return .failure(problem)
                    }
                    continue
                }
                guard !word.quoted else { return .failure(Mismatch(reason: "word \(index + 1) must not be quoted")) }
                if let problem = check(shape, word.text) { return .failure(Mismatch(reason: "word \(index + 1) \(problem)")) }
            }
        }
        return .success(program)
    }

    /// A `<script>` word names one of ``scripts``; a `<command>` word is a quoted command line that
    /// fits one of ``commands`` (its program and plain arguments: addresses, ports, fixed options).
    func scriptProgram(_ shape: Shape, _ word: KeepalivedWord) -> Result<String?, Mismatch> {
        if shape == .script {
            guard scripts.contains(word.text) else {
                return .failure(Mismatch(reason: "may only run the agent's own scripts (\(scripts.sorted().joined(separator: ", ")))"))
            }
            return .success(word.text)
        }
        let refusal = Mismatch(
            reason: "may only run the agent's own check programs with an address and a port ("
                + commands.compactMap { if case .literal(let p) = $0.first { return p.first } else { return nil } }.sorted().joined(separator: ", ") + ")")
        guard word.quoted else { return .failure(refusal) }
        let parts = word.text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard !parts.contains("") else { return .failure(Mismatch(reason: "command words must be separated by single spaces")) }
        for command in commands where command.count == parts.count {
            var fits = true
            for (element, part) in zip(command, parts) {
                switch element {
                case .literal(let values): fits = values.contains(part)
                case .shape(let shape): fits = shape != .script && shape != .command && check(shape, part) == nil
                }
                if !fits { break }
            }
            if fits { return .success(parts[0]) }
        }
        return .failure(refusal)
    }

    /// nil when `text` has the shape; otherwise what is wrong with it.
    func check(_ shape: Shape, _ text: String) -> String? {
        let bytes = Array(text.utf8)
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        func isAlnum(_ c: UInt8) -> Bool { isDigit(c) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }
        func uint(_ b: ArraySlice<UInt8>) -> UInt64? {
            guard !b.isEmpty, b.count <= 10, b.allSatisfy(isDigit) else { return nil }
            return b.reduce(0) { $0 * 10 + UInt64($1 - 0x30) }
        }
        switch shape {
        case .name:
            guard let first = bytes.first, isAlnum(first), bytes.count <= 64,
                bytes.allSatisfy({ isAlnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") })
            else { return "must be a name (letters, digits, '_', '-', '.', at most 64)" }
        case .uint:
            guard let value = uint(bytes[...]), value <= UInt64(UInt32.max) else { return "must be a whole number" }
        case .decimal:
            let parts = bytes.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.allSatisfy({ uint($0) != nil }) else { return "must be a number" }
        case .port:
            guard let value = uint(bytes[...]), value >= 1, value <= 65535 else { return "must be a port (1-65535)" }
        case .ip:
            guard let address = try? IPAddress(validating: text) else { return "must be an IP address" }
            guard address.isUnicast else { return "must be a unicast address" }
        case .ipPrefix:
            let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard let address = try? IPAddress(validating: parts[0]) else { return "must be an IP address or prefix" }
            if parts.count == 2 {
                guard let length = uint(Array(parts[1].utf8)[...]), length <= (address.family == .v4 ? 32 : 128) else {
                    return "must be an IP address or prefix"
                }
            }
        case .ipHost:
            let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard let address = try? IPAddress(validating: parts[0]),
                parts.count == 1 || parts[1] == (address.family == .v4 ? "32" : "128")
            else { return "must be one IP address (/32 or /128)" }
            guard address.isUnicast else { return "must be a unicast address" }
        case .cidr:
            guard (try? CIDR(validating: text)) != nil else { return "must be a network (address/prefix)" }
        case .ipOrUInt:
            guard (try? IPAddress(validating: text)) != nil || uint(bytes[...]) != nil else { return "must be a netmask or a number" }
        case .interface:
            guard (try? InterfaceName(validating: text)) != nil else { return "must be an interface name" }
        case .secret:
            guard (1...8).contains(bytes.count), bytes.allSatisfy({ isAlnum($0) || "._+=:,/-".utf8.contains($0) }) else {
                return "must be 1 to 8 letters, digits or '._+=:,/-'"
            }
        case .namespace:
            guard let namespace, text == namespace else { return "must be the amphora namespace '\(namespace ?? "")'" }
        case .urlPath:
            guard bytes.first == UInt8(ascii: "/"), bytes.count <= 255,
                bytes.allSatisfy({ isAlnum($0) || "/-._~%:@&=+,;?*()[]".utf8.contains($0) })
            else { return "must be a URL path" }
        case .script, .command:
            return "is a program"
        }
        return nil
    }
}
