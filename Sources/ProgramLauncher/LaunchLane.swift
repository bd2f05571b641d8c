/// The launcher channels a command may use, so that status and heartbeat queries never wait behind
/// a slow configuration check: of the launcher's three channels, the first serves only queries, the
/// other two serve checks and actions (and queries when they are free).
public enum LaunchLane: String, Sendable, Codable, CaseIterable {
    /// Quick read-only questions: `systemctl is-active`, `ip -j link|addr show`, `dpkg-query`.
    case query
    /// Configuration checks (`haproxy -c`, `keepalived --config-test`): may take long.
    case check
    /// Everything else (changes to links, addresses, rules, daemons).
    case action
}
