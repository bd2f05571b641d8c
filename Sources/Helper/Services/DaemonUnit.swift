import Glibc
import IPCProtocol
import Synchronization

/// A long-running daemon the agent manages. Daemons are never children of the confined helper:
/// systemd runs them in production, the standalone agent in dev and CI.
public enum DaemonUnit: Sendable, Codable, Hashable, CustomStringConvertible {
    /// The haproxy of one instance (a v0.1 listener or a 1.0 load balancer).
    case haproxy(ResourceID)
    /// The amphora's VRRP keepalived (ACTIVE-STANDBY).
    case keepalived
    /// The keepalived (LVS) of one UDP listener.
    case lvs(ResourceID)

    /// The systemd unit name (`haproxy@<id>.service`, instantiated from `systemd/haproxy@.service`).
    public var systemdName: String {
        switch self {
        case .haproxy(let id): return "haproxy@\(id).service"
        case .keepalived: return "octavia-keepalived.service"
        case .lvs(let id): return "octavia-keepalivedlvs@\(id).service"
        }
    }

    public var description: String { systemdName }

    /// The program's name, for messages.
    public var daemonName: String {
        switch self {
        case .haproxy: return "haproxy"
        case .keepalived: return "keepalived"
        case .lvs: return "keepalived (LVS)"
        }
    }
}
