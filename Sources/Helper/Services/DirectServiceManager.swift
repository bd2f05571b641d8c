import Glibc
import IPCProtocol
import LinuxSystem

/// The direct service manager: asks the unconfined standalone agent (the helper's parent) over an
/// inherited socket. Operations other than `status` are audited before and after.
public final class DirectServiceManager: ServiceManager {
    let fd: Int32
    let audit: AuditLog
    let lock = LockedValue<UInt64>(0)

    public init(fd: Int32, audit: AuditLog) {
        self.fd = fd
        self.audit = audit
    }

    public func perform(_ operation: DaemonOperation, _ unit: DaemonUnit, context: AuditContext) throws(ServiceError) -> DaemonStatus {
        let fields = context.fields + [("operation", JSONValue.string(operation.rawValue)), ("unit", .string(unit.systemdName))]
        if operation != .status {
            do {
                try audit.record("daemon-intent", fields)
            } catch {
                throw .auditUnavailable
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
            throw .managerUnavailable(details: "\(error)")
        }
        if operation != .status {
            var outcome = fields
            outcome.append(("running", .bool(reply.status.running)))
            if let pid = reply.status.pid { outcome.append(("pid", .number(String(pid)))) }
            if let error = reply.error { outcome.append(("error", .string(error))) }
            context.recordOutcome("daemon-outcome", members: outcome, in: audit)
        }
        if let error = reply.error {
            throw .failed(operation, unit, details: error)
        }
        return reply.status
    }
}
