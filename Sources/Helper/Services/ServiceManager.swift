import Glibc
import IPCProtocol

/// Starts, stops, reloads and reports daemons (systemd in production, the standalone agent in dev).
public protocol ServiceManager: Sendable {
    func perform(_ operation: DaemonOperation, _ unit: DaemonUnit, context: AuditContext) throws(ServiceError) -> DaemonStatus
}
