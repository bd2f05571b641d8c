import IPCProtocol

/// Why a daemon operation failed.
public enum ServiceError: Error, Sendable {
    /// The intent could not be audited, so nothing was done.
    case auditUnavailable
    /// The standalone agent did not answer (the direct service manager's socket).
    case managerUnavailable(details: String)
    /// The operation failed; the service manager's or systemctl's words.
    case failed(DaemonOperation, DaemonUnit, details: String)
    /// The launcher failed (its errors are already the wire's).
    case launcher(CommandError)
}
