/// Who asked for an action, for the audit log.
public struct AuditContext: Sendable {
    public var requestID: UInt64
    public var peerUID: UInt32
    public var command: String

    public init(requestID: UInt64, peerUID: UInt32, command: String) {
        self.requestID = requestID
        self.peerUID = peerUID
        self.command = command
    }
}
