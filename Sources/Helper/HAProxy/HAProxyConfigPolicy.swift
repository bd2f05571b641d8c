import AgentConfig
import Confinement
import Glibc
import IPCProtocol

/// The allow-list of haproxy configuration (`policy/haproxy-config.txt`): the sections, keywords
/// and argument shapes Octavia 19.0.0's templates render. Lines come from
/// ``HAProxyConfigTokenizer``, which reads them as haproxy does; the policy then forces the
/// `stats socket` and the account haproxy's workers run as.
public struct HAProxyConfigPolicy: Sendable {
    /// Where one load balancer's files may live.
    public struct Context: Sendable {
        /// The instance (load balancer in 1.0, listener in v0.1) the upload is for.
        public var instance: String
        public var basePath: String
        public var baseCertDir: String
        /// Programs `external-check command` may run (`policy/haproxy-programs.txt`).
        public var programs: Set<String>

        public init(instance: String, basePath: String, baseCertDir: String, programs: Set<String>) {
            self.instance = instance
            self.basePath = basePath
            self.baseCertDir = baseCertDir
            self.programs = programs
        }

        /// The stats socket the agent uses for the instance.
        public var statsSocket: String { StateLayout(basePath: basePath).statsSocket(instance) }
    }

    /// The argument shapes placeholders (`<type>`) in the policy file may name.
    enum ArgumentType: String, Sendable, CaseIterable {
        case name, int, port, time, size, ip
        case addrPort = "addr-port"
        case peersName = "peers-name"
        case peerName = "peer-name"
        case logTarget = "log-target"
        case facility
        case stateFile = "state-file"
        case certFile = "cert-file"
        case program
        case cpuMapBind = "cpu-map-bind"
        case cpuSet = "cpu-set"
        case mode, balance, verify, match, ciphers, alpn, method, domain
        case httpVersion = "http-version"
        case statusCodes = "status-codes"
        case redirectCode = "redirect-code"
        case url
        case urlPath = "url-path"
        case condition
        case headerFetch = "header-fetch"
        case requestCookie = "request-cookie"
        case responseCookie = "response-cookie"
        case aclValue = "acl-value"
        case hsts
        case logFormat = "log-format"

        /// Free text Octavia escapes or quotes: the only words that may be written with quotes or backslashes.
        var isText: Bool { self == .aclValue || self == .hsts || self == .logFormat }

        func accepts(_ v: String, _ context: Context) -> Bool {
            switch self {
            case .name: return v.utf8.count <= 128 && Self.nameCharacters.containsEvery(of: v)
            case .peersName, .peerName: return v.utf8.count <= 64 && Self.peerCharacters.containsEvery(of: v)
            case .int: return Self.isNumber(v)
            case .port: return Self.isNumber(v) && (1...65535).contains(Int(v) ?? 0)
            case .time: return Self.numberWithSuffix(v, ["", "us", "ms", "s", "m", "h", "d"])
            case .size: return Self.numberWithSuffix(v, ["", "k", "m", "g"])
            case .ip: return Self.isIP(v)
            case .addrPort:
                guard let colon = v.lastIndex(of: ":") else { return false }
                return Self.isIP(String(v[..<colon])) && ArgumentType.port.accepts(String(v[v.index(after: colon)...]), context)
            case .logTarget: return v == "/run/rsyslog/octavia/log" || v == "/dev/log"
            case .facility: return ["local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"].contains(v)
            case .stateFile: return v == StateLayout(basePath: context.basePath).serversState(context.instance)
            case .certFile:
                // Only the load balancer's certificate directory, where Octavia puts every file it names.
                let prefix = "\(context.baseCertDir)/\(context.instance)/"
                guard v.hasPrefix(prefix) else { return false }
                let file = String(v.dropFirst(prefix.count))
                return !file.isEmpty && !file.hasPrefix(".") && file.utf8.count <= 255 && Self.fileCharacters.containsEvery(of: file)
            case .program: return context.programs.contains(v)
            case .cpuMapBind:
                guard v.hasPrefix("auto:1/1-") else { return false }
                return Self.isNumber(String(v.dropFirst("auto:1/1-".count)))
            case .cpuSet:
                guard v.hasPrefix("1-") else { return false }
                return Self.isNumber(String(v.dropFirst(2)))
            case .mode: return v == "http" || v == "tcp"
            case .balance: return ["roundrobin", "leastconn", "source", "first"].contains(v)
            case .verify: return ["none", "optional", "required"].contains(v)
            case .match: return ["reg", "beg", "end", "sub", "str"].contains(v)
            case .ciphers: return v.utf8.count <= 4096 && Self.cipherCharacters.containsEvery(of: v)
            case .alpn: return v.utf8.count <= 256 && Self.alpnCharacters.containsEvery(of: v)
            case .method: return v.utf8.count <= 16 && Self.upperCase.containsEvery(of: v)
            case .domain: return v.utf8.count <= 255 && Self.domainCharacters.containsEvery(of: v)
            case .httpVersion: return v == "HTTP/1.0" || v == "HTTP/1.1"
            case .statusCodes: return v.utf8.count <= 4096 && Self.statusCodeCharacters.containsEvery(of: v)
            case .redirectCode: return ["301", "302", "303", "307", "308"].contains(v)
            case .url: return v.utf8.count <= 2048 && Self.printable(v, allowSpace: false)
            case .urlPath: return v.hasPrefix("/") && v.utf8.count <= 2048 && Self.printable(v, allowSpace: false)
            case .condition:
                let name = v.hasPrefix("!") ? String(v.dropFirst()) : v
                return ArgumentType.name.accepts(name, context)
            case .headerFetch:
                for fetch in ["req.hdr(", "req.cook(", "ssl_c_s_dn("] where v.hasPrefix(fetch) && v.hasSuffix(")") {
                    let key = v.dropFirst(fetch.count).dropLast()
                    return key.utf8.count <= 255 && Self.tokenCharacters.containsEvery(of: key)
                }
                return false
            case .requestCookie, .responseCookie:
                let fetch = self == .requestCookie ? "req.cook(" : "res.cook("
                guard v.hasPrefix(fetch), v.hasSuffix(")") else { return false }
                let key = v.dropFirst(fetch.count).dropLast()
                return key.utf8.count <= 255 && Self.tokenCharacters.containsEvery(of: key)
            case .aclValue:
                // A leading '-' would be read as an ACL flag (-f FILE loads patterns from a file).
                return !v.hasPrefix("-") && v.utf8.count <= 4096 && Self.printable(v, allowSpace: true)
            case .hsts:
                let parts = v.split(separator: " ")
                guard let first = parts.first, first.hasPrefix("max-age="), first.hasSuffix(";"),
                    Self.isNumber(String(first.dropFirst("max-age=".count).dropLast()))
                else { return false }
                return parts.dropFirst().allSatisfy { $0 == "includeSubDomains;" || $0 == "preload;" }
            case .logFormat: return HAProxyLogFormat.accepts(v)
            }
        }

        static let alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        static let digits = ASCIISet("0123456789")
        static let nameCharacters = ASCIISet(alnum + "_.:-")
        static let peerCharacters = ASCIISet(alnum + "_-")
        static let fileCharacters = ASCIISet(alnum + "._-")
        static let cipherCharacters = ASCIISet(alnum + ":_-+!@.=")
        static let alpnCharacters = ASCIISet(alnum + "/.,-")
        static let upperCase = ASCIISet("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        static let domainCharacters = ASCIISet(alnum + ".-")
        static let statusCodeCharacters = ASCIISet("0123456789|")
        /// RFC 9110's `tchar`: a header or cookie name.
        static let tokenCharacters = ASCIISet(alnum + "!#$%&'*+-.^_`|~")

        static func isNumber(_ v: some StringProtocol) -> Bool { v.utf8.count <= 10 && digits.containsEvery(of: v) }

        static func numberWithSuffix(_ v: String, _ suffixes: [String]) -> Bool {
            suffixes.contains { suffix in v.hasSuffix(suffix) && isNumber(v.dropLast(suffix.count)) }
        }

        static func printable(_ v: String, allowSpace: Bool) -> Bool {
            !v.isEmpty && v.utf8.allSatisfy { ($0 > 0x20 && $0 < 0x7F) || (allowSpace && $0 == 0x20) }
        }

        static func isIP(_ v: String) -> Bool {
            var buffer = [UInt8](repeating: 0, count: 16)
            return inet_pton(AF_INET, v, &buffer) == 1 || inet_pton(AF_INET6, v, &buffer) == 1
        }
    }

    /// One word of a pattern.
    enum Element: Sendable, Equatable {
        case literal(String)
        case argument(ArgumentType)
    }

    /// One allowed directive: fixed words, an optional repeated tail, then option groups.
    struct Pattern: Sendable {
        var fixed: [Element]
        var repeated: ArgumentType?
        var options: [[Element]]

        /// The keyword words (the literal prefix), for error messages.
        var keyword: String {
            fixed.prefix { if case .literal = $0 { true } else { false } }.map { if case .literal(let l) = $0 { l } else { "" } }
                .joined(separator: " ")
        }
    }

    /// Section keyword → header pattern.
    let headers: [String: Pattern]
    /// Section keyword → allowed directives, by their first word (every pattern starts with a
    /// literal keyword, and a line's first word is always plain: the tokenizer refuses any other).
    let directives: [String: [String: [Pattern]]]

    /// The compiled-in policy; nil only if `policy/haproxy-config.txt` does not parse (a test proves it does).
    public static let embedded: HAProxyConfigPolicy? = try? HAProxyConfigPolicy(parsing: EmbeddedPolicy.files["haproxy-config.txt"] ?? "")

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    init(parsing text: String) throws(ParseError) {
        var headers: [String: Pattern] = [:]
        var directives: [String: [String: [Pattern]]] = [:]
        var section: String?
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: " ").map(String.init)
            guard let first = line.first, !first.hasPrefix("#") else { continue }
            if first.hasPrefix("["), first.hasSuffix("]"), line.count == 1 {
                let name = String(first.dropFirst().dropLast())
                guard headers[name] != nil else { throw ParseError(description: "line \(index + 1): unknown section \(name)") }
                section = name
                continue
            }
            if first == "section", section == nil, line.count >= 2 {
                headers[line[1]] = try Self.pattern(Array(line.dropFirst()), line: index + 1)
                continue
            }
            guard let section else { throw ParseError(description: "line \(index + 1): directive outside a section") }
            let pattern = try Self.pattern(line, line: index + 1)
            guard case .literal(let keyword) = pattern.fixed[0] else { throw ParseError(description: "line \(index + 1): a directive starts with a keyword") }
            directives[section, default: [:]][keyword, default: []].append(pattern)
        }
        self.headers = headers
        self.directives = directives
    }

    static func element(_ word: String, line: Int) throws(ParseError) -> Element {
        guard word.hasPrefix("<"), word.hasSuffix(">") else { return .literal(word) }
        guard let type = ArgumentType(rawValue: String(word.dropFirst().dropLast())) else {
            throw ParseError(description: "line \(line): unknown type \(word)")
        }
        return .argument(type)
    }

    static func pattern(_ words: [String], line: Int) throws(ParseError) -> Pattern {
        var result = Pattern(fixed: [], repeated: nil, options: [])
        var group: [Element]?
        for word in words {
            if var open = group {
                let closes = word.hasSuffix("]")
                open.append(try element(closes ? String(word.dropLast()) : word, line: line))
                if closes {
                    result.options.append(open)
                    group = nil
                } else {
                    group = open
                }
            } else if word.hasPrefix("[") {
                let inner = String(word.dropFirst())
                if inner.hasSuffix("]") {
                    result.options.append([try element(String(inner.dropLast()), line: line)])
                } else {
                    group = [try element(inner, line: line)]
                }
            } else {
                guard result.options.isEmpty, result.repeated == nil else {
                    throw ParseError(description: "line \(line): fixed words after options or a repeated tail")
                }
                if word.hasSuffix(">...") {
                    guard case .argument(let type) = try element(String(word.dropLast(3)), line: line) else {
                        throw ParseError(description: "line \(line): bad repeated tail")
                    }
                    result.repeated = type
                } else {
                    result.fixed.append(try element(word, line: line))
                }
            }
        }
        if group != nil { throw ParseError(description: "line \(line): unterminated option group") }
        guard case .literal = result.fixed.first else { throw ParseError(description: "line \(line): a directive starts with a keyword") }
        return result
    }

    static func matches(_ element: Element, _ word: HAProxyConfigWord, _ context: Context) -> Bool {
        switch element {
        case .literal(let literal): return word.plain && word.value == literal
        case .argument(let type): return (word.plain || type.isText) && type.accepts(word.value, context)
        }
    }

    /// Whether `words` is `pattern`: its fixed words, then either one or more of its repeated tail,
    /// or option groups, each time the first group (in the policy's order) that matches the next words.
    static func matches(_ pattern: Pattern, _ words: [HAProxyConfigWord], _ context: Context) -> Bool {
        let fixedCount = pattern.fixed.count
        guard words.count >= fixedCount else { return false }
        for index in 0..<fixedCount where !matches(pattern.fixed[index], words[index], context) { return false }
        var position = fixedCount
        if let repeated = pattern.repeated {
            guard position < words.count else { return false }
            while position < words.count {
                guard matches(.argument(repeated), words[position], context) else { return false }
                position += 1
            }
            return true
        }
        nextGroup: while position < words.count {
            for option in pattern.options where option.count <= words.count - position {
                var offset = 0
                while offset < option.count && matches(option[offset], words[position + offset], context) { offset += 1 }
                if offset == option.count {
                    position += option.count
                    continue nextGroup
                }
            }
            return false
        }
        return true
    }

    /// The most `server` lines one configuration may hold: twice the 50 listeners × 200 members
    /// reference load balancer (docs/limits.md). The count, not the byte size, is what costs memory
    /// later: haproxy's `show stat` (a row per server, parsed at every heartbeat) and `haproxy -c`
    /// grow with it, and both run inside the helper's memory limit.
    public static let maximumServers = 20_000

    static func refuse(_ line: Int, _ reason: String) -> HAProxyError {
        .refused(details: "line \(line): \(reason)")
    }

    /// Checks `text` against the allow-list and returns the text haproxy gets: the uploaded lines,
    /// with `stats socket`, `user` and `group` lines of `global` replaced by the forced ones.
    public func enforce(_ text: String, context: Context) throws(HAProxyError) -> String {
        var section: String?
        /// The directives the current section allows, by keyword.
        var allowed: [String: [Pattern]] = [:]
        var dropped = Set<Int>()
        var firstGlobal: Int?
        var servers = 0
        // Each line is checked as the tokenizer reads it: a refused text costs no more memory than
        // its first refused line, however many lines it has.
        try HAProxyConfigTokenizer.forEachLine(in: text) { line throws(HAProxyError) in
            let words = line.words
            let keyword = words[0].value
            if keyword == "server" {
                servers += 1
                guard servers <= Self.maximumServers else {
                    throw Self.refuse(line.number, "more than \(Self.maximumServers) servers in one configuration")
                }
            }
            if let header = headers[keyword] {
                guard Self.matches(header, words, context) else {
                    throw Self.refuse(line.number, "'\(keyword)' section header not allowed in this shape")
                }
                section = keyword
                allowed = directives[keyword] ?? [:]
                if keyword == "global", firstGlobal == nil { firstGlobal = line.number }
                return
            }
            guard let section else { throw Self.refuse(line.number, "'\(keyword)' outside a section") }
            if section == "global" {
                if keyword == "user" || keyword == "group" || (keyword == "stats" && words.count >= 2 && words[1].value == "socket" && words[1].plain) {
                    // Forced by the helper: replaced below.
                    dropped.insert(line.number)
                    return
                }
            }
            let candidates = allowed[keyword] ?? []
            guard candidates.contains(where: { Self.matches($0, words, context) }) else {
                let known = candidates.contains { pattern in
                    pattern.keyword.split(separator: " ").enumerated().allSatisfy { index, literal in
                        index < words.count && words[index].plain && words[index].value == literal
                    }
                }
                throw Self.refuse(
                    line.number,
                    known ? "arguments of '\(keyword)' not allowed in a \(section) section" : "'\(keyword)' is not allowed in a \(section) section")
            }
        }
        guard let firstGlobal else { throw HAProxyError.refused(details: "no global section") }
        // Byte-wise: the tokenizer admitted only ASCII, so bytes and characters agree.
        let forced = Array("\n    stats socket \(context.statsSocket) mode 0600 level user\n    user nobody".utf8)
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + forced.count)
        let bytes = Array(text.utf8)
        var first = true
        var number = 0
        var start = 0
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            number += 1
            if !dropped.contains(number) {
                if !first { output.append(UInt8(ascii: "\n")) }
                first = false
                output.append(contentsOf: bytes[start..<end])
                if number == firstGlobal { output.append(contentsOf: forced) }
            }
            start = end + 1
        }
        return String(decoding: output, as: UTF8.self)
    }
}
