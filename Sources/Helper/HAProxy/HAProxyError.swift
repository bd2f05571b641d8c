import IPCProtocol
import LinuxSystem

/// What can go wrong with a haproxy instance: its configuration text, its files, its process.
/// `CommandError(mapping:)` (Server/CommandErrorMapping.swift) turns it into the wire's error, at the boundary only.
public enum HAProxyError: Error, Sendable {
    /// The configuration text is refused (tokenizer, allow-list, NUL byte or `haproxy -c`); the details say where.
    case refused(details: String)
    /// The compiled-in haproxy policy does not parse (a defect of the build, never of a request).
    case policyUnreadable
    /// No instance with this id has a stored configuration.
    case notFound(ResourceID)
    /// A file of the instance could not be read or written.
    case storage(SystemError)
    /// The stored configuration failed `haproxy -c` before a start or a reload.
    case checkFailed(ServiceAction, details: String)
    /// haproxy was started but did not answer on its stats socket; `details` are its own error lines.
    case didNotStart(details: String?)
    /// The service manager failed.
    case service(ServiceError)
    /// Stopping the instance failed: the seed spec's "Error stopping haproxy".
    case stopFailed(ServiceError)
    /// The launcher failed (its errors are already the wire's).
    case launcher(CommandError)
}
