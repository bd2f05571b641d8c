import IPCProtocol
import ProgramLauncher

/// The seam through which helper logic runs programs (a recording fake replaces it in unit tests).
public protocol CommandRunning: Sendable {
    func run(_ command: LaunchCommand, context: AuditContext, deadlineMilliseconds: Int) throws(CommandError) -> LaunchResult

    /// The intent ``run(_:context:deadlineMilliseconds:)`` records before `command`, for a caller
    /// that records it ahead, with the intent of an act that comes first (``AnnouncedIntent``);
    /// nil when this runner records none.
    func intent(for command: LaunchCommand, context: AuditContext) -> AnnouncedIntent?

    /// Runs `command` whose ``intent(for:context:)`` the caller recorded and made durable: no intent
    /// is recorded again, the outcome is.
    func run(announced command: LaunchCommand, context: AuditContext, deadlineMilliseconds: Int) throws(CommandError) -> LaunchResult

    /// Records that an announced `command` did not run, and why.
    func withdraw(announced command: LaunchCommand, context: AuditContext, reason: String)
}

extension CommandRunning {
    /// A runner that records nothing announces nothing.
    public func intent(for command: LaunchCommand, context: AuditContext) -> AnnouncedIntent? { nil }

    public func run(announced command: LaunchCommand, context: AuditContext, deadlineMilliseconds: Int) throws(CommandError) -> LaunchResult {
        try run(command, context: context, deadlineMilliseconds: deadlineMilliseconds)
    }

    public func withdraw(announced command: LaunchCommand, context: AuditContext, reason: String) {}
}
