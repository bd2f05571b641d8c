import IPCProtocol

/// An intent record written ahead of its act, together with the intent of the act that comes first:
/// the second intent's fsync makes both durable, so two acts in a row (a candidate's write, then
/// its check) cost one fsync of the audit log instead of two. The record says so (`announced`:
/// true). The act it announces then records no intent of its own; if it never happens, its outcome
/// says why (``CommandRunning/withdraw(announced:context:reason:)``).
public struct AnnouncedIntent: Sendable {
    /// The record's event (`exec-intent`).
    public let event: String
    /// Its members, the command's ``AuditContext/fields`` first.
    public let members: [(String, JSONValue)]

    public init(event: String, members: [(String, JSONValue)]) {
        self.event = event
        self.members = members + [("announced", .bool(true))]
    }
}
