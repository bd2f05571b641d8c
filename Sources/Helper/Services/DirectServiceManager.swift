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
        let fields = Self.fields(operation, unit, context: context)
        if operation != .status {
            do {
                try audit.record("daemon-intent", fields)
            } catch {
                throw .auditUnavailable
            }
        }
        return try exchange(operation, unit, fields: fields, context: context)
    }

    /// The `daemon-intent` of an operation other than `status`, to announce.
    public func intent(for operation: DaemonOperation, _ unit: DaemonUnit, context: AuditContext) -> AnnouncedIntent? {
        operation == .status ? nil : AnnouncedIntent(event: "daemon-intent", members: Self.fields(operation, unit, context: context))
    }

    /// The operation under its announced intent: refused (the intent withdrawn) unless that is on
    /// disk in this log, the log still takes records, and it names exactly this operation on this unit.
    public func perform(announced intent: AnnouncedIntent, _ operation: DaemonOperation, _ unit: DaemonUnit, context: AuditContext)
        throws(ServiceError) -> DaemonStatus
    {
        let fields = Self.fields(operation, unit, context: context)
        guard operation != .status, intent.mayAct(loggedIn: audit), intent.announces("daemon-intent", fields) else {
            intent.withdraw(reason: "its intent is not on disk or not this operation's", context: context)
            throw .auditUnavailable
        }
        return try exchange(operation, unit, fields: fields, context: context)
    }

    /// The members of an operation's records: who asked, the operation, the unit.
    static func fields(_ operation: DaemonOperation, _ unit: DaemonUnit, context: AuditContext) -> [(String, JSONValue)] {
        context.fields + [("operation", JSONValue.string(operation.rawValue)), ("unit", .string(unit.systemdName))]
    }

    /// Asks the agent, records the outcome (of an operation other than `status`), answers its status.
    func exchange(_ operation: DaemonOperation, _ unit: DaemonUnit, fields: [(String, JSONValue)], context: AuditContext) throws(ServiceError)
        -> DaemonStatus
    {
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
            // The agent may or may not have acted: the outcome says it did not answer.
            if operation != .status { context.recordOutcome("daemon-outcome", members: fields + [("error", .string("no answer: \(error)"))], in: audit) }
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
