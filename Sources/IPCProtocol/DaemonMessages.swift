// The messages between the helper and the standalone agent (amphora-agent) when the agent plays
// systemd's part (service_manager = direct): which daemon, which operation, and what it found.

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

/// The closed set of daemon operations.
public enum DaemonOperation: String, Sendable, Codable {
    case start, stop, reload, status
    /// systemd only: start the unit at boot (`systemctl enable`), or no longer (`disable`). The
    /// systemd service manager sends them with `start` and `stop`; the standalone agent has no boot
    /// to survive and answers them with the unit's status.
    case enable, disable
}

/// What a daemon operation found.
public struct DaemonStatus: Sendable, Codable, Equatable {
    public var running: Bool
    public var pid: Int32?
    public init(running: Bool, pid: Int32?) {
        self.running = running
        self.pid = pid
    }
}

/// A request from the helper to the standalone agent (the direct service manager's wire format).
public struct DaemonRequest: Sendable, Codable, Equatable {
    public var id: UInt64
    public var operation: DaemonOperation
    public var unit: DaemonUnit
    public init(id: UInt64, operation: DaemonOperation, unit: DaemonUnit) {
        self.id = id
        self.operation = operation
        self.unit = unit
    }
}

/// The standalone agent's answer.
public struct DaemonReply: Sendable, Codable, Equatable {
    public var id: UInt64
    public var status: DaemonStatus
    /// Set when the operation failed; carries the daemon's own output where there is any.
    public var error: String?
    public init(id: UInt64, status: DaemonStatus, error: String?) {
        self.id = id
        self.status = status
        self.error = error
    }
}
