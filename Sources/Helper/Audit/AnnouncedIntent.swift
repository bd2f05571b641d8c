import Glibc
import IPCProtocol
import LinuxSystem
import ProgramLauncher

/// An act's intent record written ahead, together with the intent of the act that comes first:
/// that intent's fsync makes both durable, so two acts in a row (a candidate's write, then its
/// check) cost one fsync of the audit log instead of two. The record says so (`announced`: true).
/// The act happens only while this record is on disk and its log still takes records, and only as
/// announced (``mayAct(loggedIn:)``, ``announces(_:_:)``: the runner's
/// ``AuditedCommandRunner/run(announced:context:deadlineMilliseconds:)``, a candidate's
/// ``AuditedDirectory/promote(_:to:announced:)``, ``DirectServiceManager/perform(announced:_:_:context:)``);
/// if it never happens, its outcome says why (``withdraw(reason:context:)``).
public final class AnnouncedIntent: Sendable {
    /// The launcher command it announces; nil for an act the helper does itself (a candidate's
    /// promotion) or asks the standalone agent for (a daemon's reload in direct mode).
    public let command: LaunchCommand?
    /// The record's event (`exec-intent`, `file-intent`, `daemon-intent`).
    public let event: String
    /// Its members, the act's ``AuditContext/fields`` first, `announced` last.
    public let members: [(String, JSONValue)]
    /// Where and as which sequence number it was written, once it was.
    let written = LockedValue<(log: AuditLog, sequence: UInt64)?>(nil)

    init(command: LaunchCommand? = nil, event: String, members: [(String, JSONValue)]) {
        self.command = command
        self.event = event
        self.members = members + [("announced", .bool(true))]
    }

    /// Writes the record to `log` without an fsync of its own (the next intent's makes it durable);
    /// once only (an intent announced twice would stand for one act twice).
    func record(in log: AuditLog) throws(SystemError) {
        guard !wasWritten else { throw SystemError("announced intent written already", errno: EALREADY) }
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

    /// Whether its act may happen now: the record is on disk, in `log`, and the log still takes
    /// records (an act whose own intent would be refused now, a closed log, is refused too).
    func mayAct(loggedIn log: AuditLog) -> Bool {
        guard let written = written.withLock({ $0 }), written.log === log else { return false }
        return log.isOpen && log.durableHead.sequence >= written.sequence
    }

    /// Whether this announces exactly the intent `event` with `members` (before `announced`): an
    /// act checks that what was announced is what it is about to do.
    func announces(_ event: String, _ members: [(String, JSONValue)]) -> Bool {
        guard event == self.event, members.count + 1 == self.members.count else { return false }
        return zip(members, self.members).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    /// The outcome's event (`exec-outcome` for `exec-intent`, and so on).
    var outcomeEvent: String {
        event.hasSuffix("-intent") ? String(event.dropLast("-intent".count)) + "-outcome" : event + "-outcome"
    }

    /// Records, when the intent was written, that its act did not happen, and why: the intent's
    /// members with `result` "not run" and `error` "not run: `reason`".
    func withdraw(reason: String, context: AuditContext) {
        guard let (log, _) = written.withLock({ $0 }) else { return }
        let withdrawal: [(String, JSONValue)] = [("result", .string("not run")), ("error", .string("not run: \(reason)")), ("announced", .bool(true))]
        context.recordOutcome(outcomeEvent, members: Array(members.dropLast()) + withdrawal, in: log)
    }
}
