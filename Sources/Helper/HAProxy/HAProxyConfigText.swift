import IPCProtocol
import ProgramLauncher

/// What the helper reads from, checks in, and adds to a controller-rendered haproxy configuration.
/// Pure text functions: unit-tested without haproxy.
public enum HAProxyConfigText {
    /// Checks a controller-rendered configuration against the allow-list (``HAProxyConfigPolicy``,
    /// `policy/haproxy-config.txt`, over ``HAProxyConfigTokenizer``) and returns the text haproxy
    /// gets, with the agent's own `stats socket` and `user nobody` forced into `global`.
    public static func checkPolicy(_ text: String, context: HAProxyConfigPolicy.Context) throws(HAProxyError) -> String {
        guard let policy = HAProxyConfigPolicy.embedded else {
            throw .policyUnreadable
        }
        return try policy.enforce(text, context: context)
    }

    /// Upstream drops indented `group` lines: the group comes from the agent's user-group file.
    public static func strippingGroupLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            guard let first = line.first, first == " " || first == "\t" else { return true }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            return !(words.count >= 2 && words[0] == "group")
        }.joined(separator: "\n")
    }

    /// The path of the first `stats socket` in the `global` section, if any (words as haproxy reads them).
    public static func statsSocketPath(in text: String) -> String? {
        var inGlobal = false
        var path: String?
        do {
            try HAProxyConfigTokenizer.forEachLine(in: text) { line in
                let words = line.values
                if sectionKeywords.contains(words[0]) {
                    inGlobal = words[0] == "global"
                } else if path == nil, inGlobal, words.count >= 3, words[0] == "stats", words[1] == "socket" {
                    path = words[2]
                }
            }
        } catch {
            return nil
        }
        return path
    }

    /// The section keywords of haproxy 2.6.
    static let sectionKeywords: Set<String> = [
        "global", "defaults", "frontend", "backend", "listen", "peers", "userlist", "resolvers", "mailers", "program",
        "cache", "ring", "http-errors",
    ]

    /// Adds `stats socket <path>` to `global` (creating the section if needed) when the config has none.
    public static func ensuringStatsSocket(_ text: String, path: String) -> String {
        if statsSocketPath(in: text) != nil { return text }
        let directive = "    stats socket \(path) mode 0600 level admin"
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let global = lines.firstIndex(where: { $0.split(separator: " ").first == "global" && !$0.hasPrefix(" ") }) {
            lines.insert(directive, at: global + 1)
        } else {
            lines.insert(contentsOf: ["global", directive], at: 0)
        }
        return lines.joined(separator: "\n")
    }

    /// The frontends with their listener type: TERMINATED_HTTPS when a bind terminates TLS,
    /// otherwise the mode (from the frontend, else `defaults`, else haproxy's default tcp) in upper case.
    public static func frontends(in text: String) -> [FrontendSummary] {
        var result: [FrontendSummary] = []
        var defaultMode = "tcp"
        var section = ""
        var current: (name: String, mode: String?, tls: Bool)?
        func finish() {
            if let c = current {
                result.append(FrontendSummary(name: c.name, type: c.tls ? "TERMINATED_HTTPS" : (c.mode ?? defaultMode).uppercased()))
            }
            current = nil
        }
        do {
            try HAProxyConfigTokenizer.forEachLine(in: text) { line in
                let words = line.values
                let first = words[0]
                if sectionKeywords.contains(first) {
                    finish()
                    section = first
                    if first == "frontend", words.count >= 2 { current = (words[1], nil, false) }
                    return
                }
                if first == "mode", words.count >= 2 {
                    if section == "defaults" { defaultMode = words[1] }
                    if section == "frontend" { current?.mode = words[1] }
                }
                if section == "frontend", first == "bind", words.contains("ssl"), words.contains(where: { $0 == "crt" || $0 == "crt-list" }) {
                    current?.tls = true
                }
            }
        } catch {
            return []
        }
        finish()
        return result
    }

    /// The addresses of `frontend` and `listen` bind lines (upstream's `get_haproxy_vip_addresses`:
    /// `bind ADDR:PORT[,ADDR:PORT...]`, IPv6 without brackets), each once, in order; wildcard
    /// addresses, `unix@`/`abns@` sockets and words that are not an address are skipped. At most
    /// ``maximumBindAddresses`` (an amphora holds a VIP and a few additional VIPs; a hostile text
    /// with a million bind lines costs one pass, not a quadratic one).
    public static func bindAddresses(in text: String) -> [IPAddress] {
        var section = ""
        var result: [IPAddress] = []
        var seen = Set<IPAddress>()
        do {
            // A text that does not read returns no address, wherever its bad line is.
            try HAProxyConfigTokenizer.forEachLine(in: text) { line in
                let words = line.values
                if sectionKeywords.contains(words[0]) {
                    section = words[0]
                    return
                }
                guard section == "frontend" || section == "listen", words[0] == "bind", words.count >= 2,
                    result.count < maximumBindAddresses
                else { return }
                for endpoint in words[1].split(separator: ",") where result.count < maximumBindAddresses {
                    let text = endpoint.hasPrefix("ipv4@") || endpoint.hasPrefix("ipv6@") ? endpoint.dropFirst(5) : endpoint[...]
                    guard let colon = text.lastIndex(of: ":"),
                        let address = try? IPAddress(validating: String(text[..<colon]).trimmingBrackets(), field: "bind"),
                        !address.isUnspecified, !address.isLoopback, seen.insert(address).inserted
                    else { continue }
                    result.append(address)
                }
            }
        } catch {
            return []
        }
        return result
    }

    /// The most addresses ``bindAddresses(in:)`` returns.
    public static let maximumBindAddresses = 256

    /// The haproxy peer name upstream derives from the amphora id: base64 of SHA-1 with `_-` as the
    /// two extra characters, a leading `-` made `x`, padding removed.
    public static func peerName(forAmphora id: ResourceID) -> String { HAProxyPeerName.forAmphora(id) }
}

extension String {
    /// `[2001:db8::1]` → `2001:db8::1`; anything else unchanged.
    fileprivate func trimmingBrackets() -> String {
        hasPrefix("[") && hasSuffix("]") ? String(dropFirst().dropLast()) : self
    }
}
