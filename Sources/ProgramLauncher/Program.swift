/// A program the launcher may execute. The table is compiled in; only `haproxy` and `keepalived`
/// take their path from the root-owned agent configuration (`haproxy_cmd`, `keepalived_cmd`).
public enum Program: String, Sendable, Codable, CaseIterable {
    case dpkgQuery = "dpkg-query"
    case haproxy
    case keepalived
    case ip
    case systemctl
    case arping
    case nft
    /// `na6` from ipv6toolkit: unsolicited neighbour advertisements.
    case na6

    /// Where the program is looked for, in order (first existing path wins).
    func candidatePaths(_ paths: ProgramPaths) -> [String] {
        switch self {
        case .dpkgQuery: return ["/usr/bin/dpkg-query"]
        case .haproxy: return [paths.haproxy]
        case .keepalived: return [paths.keepalived]
        case .ip: return ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"]
        case .systemctl: return ["/usr/bin/systemctl", "/bin/systemctl"]
        case .arping: return ["/usr/bin/arping", "/usr/sbin/arping"]
        case .na6: return ["/usr/sbin/na6", "/usr/bin/na6"]
        case .nft: return ["/usr/sbin/nft", "/sbin/nft"]
        }
    }
}
