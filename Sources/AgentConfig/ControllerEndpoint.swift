/// One health-manager destination from `[health_manager] controller_ip_port_list`.
///
/// `host` is an IP literal without brackets or a host name (RFC 1123: dot-separated labels of
/// letters, digits and hyphens, the last one not all digits); `description` gives back
/// `192.0.2.10:5555`, `[2001:db8::10]:5555` or `controller.example.org:5555`. The front resolves
/// host names (``isHostName``); the configuration only checks their syntax.
public struct ControllerEndpoint: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The IPv4 or IPv6 literal (IPv6 without brackets), or a host name.
    public let host: String
    /// The UDP port, 1-65535.
    public let port: Int
}

// In an extension, so that the struct keeps its memberwise initialiser (the module's, and the tests').
extension ControllerEndpoint {
    /// Parses `ip:port`, `[ipv6]:port` or `hostname:port` (blanks around the item allowed). Returns
    /// `nil` for anything else, including an IPv6 address without brackets (ambiguous with its port),
    /// a malformed IPv4 address (`01.2.3.4`, `1.2.3.256`: not a host name either) and port 0.
    public init?(parsing text: String) {
        let item = Scalars.string(Scalars.trimmingLeadingWhitespace(
            Scalars.trimmingTrailingWhitespace(Array(text.unicodeScalars)[...])))
        let host: Substring
        let portText: Substring
        if item.hasPrefix("[") {
            guard let close = item.firstIndex(of: "]") else { return nil }
            host = item[item.index(after: item.startIndex)..<close]
            let rest = item[item.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
            guard Syntax.isIPv6(host) else { return nil }
        } else {
            guard let colon = item.lastIndex(of: ":") else { return nil }
            host = item[..<colon]
            portText = item[item.index(after: colon)...]
            guard Syntax.isIPv4(host) || Syntax.isHostName(host) else { return nil }
        }
        guard let port = Syntax.decimal(String(portText)), (1...65535).contains(port) else { return nil }
        self.init(host: String(host), port: port)
    }

    /// Whether `host` is an IP literal or a host name and `port` is 1-65535.
    public var isValid: Bool {
        (1...65535).contains(port) && (Syntax.isIPv4(host[...]) || Syntax.isIPv6(host[...]) || Syntax.isHostName(host[...]))
    }

    /// Whether `host` is a name to resolve rather than an IP literal.
    public var isHostName: Bool { !Syntax.isIPv4(host[...]) && !Syntax.isIPv6(host[...]) }

    /// `host:port`, with the host in brackets when it is IPv6.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Parses a comma-separated list; empty items (e.g. a trailing comma) are skipped.
    /// On failure returns the first offending item, trimmed.
    static func parseList(_ text: String) -> Result<[ControllerEndpoint], InvalidItem> {
        var endpoints: [ControllerEndpoint] = []
        for piece in Array(text.unicodeScalars).split(separator: ",", omittingEmptySubsequences: false) {
            let item = Scalars.string(Scalars.trimmingLeadingWhitespace(Scalars.trimmingTrailingWhitespace(piece)))
            if item.isEmpty { continue }
            guard let endpoint = ControllerEndpoint(parsing: item) else { return .failure(InvalidItem(text: item)) }
            endpoints.append(endpoint)
        }
        return .success(endpoints)
    }

    /// The list item that failed to parse.
    struct InvalidItem: Error {
        let text: String
    }
}
