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

/// Starts, stops, reloads and reports daemons (systemd in production, the standalone agent in dev).
public protocol ServiceManager: Sendable {
    func perform(_ operation: DaemonOperation, _ unit: DaemonUnit, context: AuditContext) throws(CommandError) -> DaemonStatus
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

/// The direct service manager: asks the unconfined standalone agent (the helper's parent) over an
/// inherited socket. Operations other than `status` are audited before and after.
public final class DirectServiceManager: ServiceManager {
    let fd: Int32
    let audit: AuditLog
    let lock = Mutex<UInt64>(0)

    public init(fd: Int32, audit: AuditLog) {
        self.fd = fd
        self.audit = audit
    }

    public func perform(_ operation: DaemonOperation, _ unit: DaemonUnit, context: AuditContext) throws(CommandError) -> DaemonStatus {
        let fields: [(String, JSONValue)] = [
            ("request", .number(String(context.requestID))), ("peer_uid", .number(String(context.peerUID))),
            ("command", .string(context.command)), ("operation", .string(operation.rawValue)), ("unit", .string(unit.systemdName)),
        ]
        if operation != .status {
            do {
                try audit.record("daemon-intent", fields)
            } catch {
                throw CommandError(.unavailable, "Audit log unavailable; command refused")
            }
        }
        let reply: DaemonReply
        do {
            reply = try lock.withLock { next throws in
                next += 1
                try writeAll(fd, try Frame.encode(try StrictJSON.encode(DaemonRequest(id: next, operation: operation, unit: unit))))
                let payload = try Frame.readPayload { buffer throws(SystemError) in
                    while true {
                        let n = read(fd, buffer.baseAddress!, buffer.count)
                        if n >= 0 { return n }
                        if errno != EINTR { throw SystemError("read") }
                    }
                }
                let reply = try StrictJSON.decode(DaemonReply.self, from: payload)
                guard reply.id == next else { throw SystemError("daemon reply", errno: EPROTO) }
                return reply
            }
        } catch {
            throw CommandError(.internalError, "Service manager unavailable", details: "\(error)")
        }
        if operation != .status {
            var outcome = fields
            outcome.append(("running", .bool(reply.status.running)))
            if let pid = reply.status.pid { outcome.append(("pid", .number(String(pid)))) }
            if let error = reply.error { outcome.append(("error", .string(error))) }
            try? audit.record("daemon-outcome", outcome)
        }
        if let error = reply.error {
            throw CommandError(.internalError, "Error \(operation.rawValue)ing \(unit.daemonName)", details: error)
        }
        return reply.status
    }
}

/// The systemd service manager: `systemctl start|stop|reload|is-active <unit>` through the launcher
/// (so each call is an audited execution with an exact argv). A started unit is enabled first and a
/// stopped one disabled after, so a reboot brings back exactly the daemons that ran (upstream enables
/// its haproxy and keepalived units too), without any call from the controller.
public final class SystemdServiceManager: ServiceManager {
    let runner: any CommandRunning

    public init(runner: any CommandRunning) { self.runner = runner }

    public func perform(_ operation: DaemonOperation, _ unit: DaemonUnit, context: AuditContext) throws(CommandError) -> DaemonStatus {
        switch operation {
        case .start:
            _ = try systemctl(.enable, unit, context: context)
            return try systemctl(.start, unit, context: context)
        case .stop:
            let status = try systemctl(.stop, unit, context: context)
            _ = try systemctl(.disable, unit, context: context)
            return status
        default:
            return try systemctl(operation, unit, context: context)
        }
    }

    func systemctl(_ operation: DaemonOperation, _ unit: DaemonUnit, context: AuditContext) throws(CommandError) -> DaemonStatus {
        let result = try runner.run(.systemctl(operation, unit), context: context, deadlineMilliseconds: 90_000)
        switch operation {
        case .status:
            return DaemonStatus(running: result.succeeded && result.stdout.hasPrefix("active"), pid: nil)
        default:
            guard result.succeeded else {
                throw CommandError(.internalError, "Error \(operation.rawValue)ing \(unit.daemonName)", details: result.refusal ?? result.combinedOutput)
            }
            return DaemonStatus(running: operation != .stop && operation != .disable, pid: nil)
        }
    }
}
