import Glibc
import IPCProtocol

/// Starts, stops, reloads and reports daemons (systemd in production, the standalone agent in dev).
public protocol ServiceManager: Sendable {
    func perform(_ operation: DaemonOperation, _ unit: DaemonUnit, context: AuditContext) throws(ServiceError) -> DaemonStatus

    /// The one intent ``perform(_:_:context:)`` records before `operation` on `unit`, for a caller
    /// that writes it ahead with the intent of an act that comes first (``AnnouncedIntent``); nil
    /// when the operation records none or more than one (the caller then uses ``perform(_:_:context:)``).
    func intent(for operation: DaemonOperation, _ unit: DaemonUnit, context: AuditContext) -> AnnouncedIntent?

    /// ``perform(_:_:context:)`` under the intent `intent` announced, once it is durable (refused
    /// otherwise, as an operation whose intent cannot be recorded): only the outcome is recorded.
    func perform(announced intent: AnnouncedIntent, _ operation: DaemonOperation, _ unit: DaemonUnit, context: AuditContext) throws(ServiceError)
        -> DaemonStatus
}

extension ServiceManager {
    /// A manager that records nothing announces nothing.
    public func intent(for operation: DaemonOperation, _ unit: DaemonUnit, context: AuditContext) -> AnnouncedIntent? { nil }

    /// A manager that announces nothing acts on no announced intent: it is withdrawn, and the
    /// operation records its own.
    public func perform(announced intent: AnnouncedIntent, _ operation: DaemonOperation, _ unit: DaemonUnit, context: AuditContext)
        throws(ServiceError) -> DaemonStatus
    {
        intent.withdraw(reason: "this service manager records its own intents", context: context)
        return try perform(operation, unit, context: context)
    }
}
