/// Debian packages whose versions the agent reports.
public enum DebianPackage: String, Sendable, Codable, CaseIterable {
    case haproxy, keepalived, ipvsadm
}
