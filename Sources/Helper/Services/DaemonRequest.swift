import Glibc
import IPCProtocol
import Synchronization

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
