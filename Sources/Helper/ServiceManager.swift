import Glibc
import IPCProtocol
import LinuxSystem
import ProgramLauncher
import Synchronization

/// Starts, stops, reloads and reports daemons (systemd in production, the standalone agent in dev).
public protocol ServiceManager: Sendable {
    func perform(_ operation: DaemonOperation, _ unit: DaemonUnit, context: AuditContext) throws(CommandError) -> DaemonStatus
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
                let payload = try Frame.readPayload { buffer throws(SystemError) in try readSome(fd, into: buffer) }
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
