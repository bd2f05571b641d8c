import IPCProtocol
import ProgramLauncher

/// The seam through which helper logic runs programs (a recording fake replaces it in unit tests).
public protocol CommandRunning: Sendable {
    func run(_ command: LaunchCommand, context: AuditContext, deadlineMilliseconds: Int) throws(CommandError) -> LaunchResult
}
