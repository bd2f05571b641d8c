import IPCProtocol
import LinuxSystem
import ProgramLauncher

/// A command's intent record written ahead, together with the intent of the act that comes first:
/// that intent's fsync makes both durable, so two acts in a row (a candidate's write, then its
/// check) cost one fsync of the audit log instead of two. The record says so (`announced`: true).
/// The runner runs the command only once this record is durable
/// (``AuditedCommandRunner/run(announced:context:deadlineMilliseconds:)``); if the command never
/// runs, its outcome says why (``CommandRunning/withdraw(_:context:reason:)``).
public final class AnnouncedIntent: Sendable {
    /// The command it announces.
    public let command: LaunchCommand
    /// The record's event (`exec-intent`).
    public let event: String
    /// Its members, the command's ``AuditContext/fields`` first, `announced` last.
    public let members: [(String, JSONValue)]
    /// Where and as which sequence number it was written, once it was.
    let written = LockedValue<(log: AuditLog, sequence: UInt64)?>(nil)

    public init(command: LaunchCommand, event: String, members: [(String, JSONValue)]) {
        self.command = command
        self.event = event
        self.members = members + [("announced", .bool(true))]
    }

    /// Writes the record to `log` without an fsync of its own (the next intent's makes it durable).
    func record(in log: AuditLog) throws(SystemError) {
        let sequence = try log.recordAhead(event, members)
        written.withLock { $0 = (log, sequence) }
    }

    /// Whether the record was written.
    var wasWritten: Bool { written.withLock { $0 != nil } }

    /// Whether the record is on disk (its log's durable head reached it).
    var isDurable: Bool {
        guard let (log, sequence) = written.withLock({ $0 }) else { return false }
        return log.durableHead.sequence >= sequence
    }
}
