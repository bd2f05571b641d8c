import IPCProtocol
import ProgramLauncher

/// The seam through which helper logic runs programs (a recording fake replaces it in unit tests).
public protocol CommandRunning: Sendable {
    func run(_ command: LaunchCommand, context: AuditContext, deadlineMilliseconds: Int) throws(CommandError) -> LaunchResult

    /// The intent ``run(_:context:deadlineMilliseconds:)`` records before `command`, for a caller
    /// that writes it ahead with the intent of an act that comes first (``AnnouncedIntent``); nil
    /// when this runner records none (the caller then uses ``run(_:context:deadlineMilliseconds:)``).
    func intent(for command: LaunchCommand, context: AuditContext) -> AnnouncedIntent?

    /// Runs the command `intent` announced, once its record is durable (refused otherwise, as a
    /// command whose intent cannot be recorded): no intent is recorded again, the outcome is.
    func run(announced intent: AnnouncedIntent, context: AuditContext, deadlineMilliseconds: Int) throws(CommandError) -> LaunchResult
}

extension CommandRunning {
    /// A runner that records nothing announces nothing.
    public func intent(for command: LaunchCommand, context: AuditContext) -> AnnouncedIntent? { nil }

    /// A runner that announces nothing acts on no announced intent: it is withdrawn, and the
    /// command records its own.
    public func run(announced intent: AnnouncedIntent, context: AuditContext, deadlineMilliseconds: Int) throws(CommandError) -> LaunchResult {
        guard let command = intent.command else {
            intent.withdraw(reason: "it announced no command", context: context)
            throw AuditContext.auditUnavailable
        }
        intent.withdraw(reason: "this runner records its own intents", context: context)
        return try run(command, context: context, deadlineMilliseconds: deadlineMilliseconds)
    }
}
