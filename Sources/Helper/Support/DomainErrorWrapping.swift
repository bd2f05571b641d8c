import IPCProtocol
import ProgramLauncher

extension CommandRunning {
    /// ``run(_:context:deadlineMilliseconds:)`` with the launcher's error wrapped in the caller's
    /// domain error (`or: HAProxyError.launcher`).
    func run<E: Error>(
        _ command: LaunchCommand, context: AuditContext, deadlineMilliseconds: Int, or wrap: (CommandError) -> E
    ) throws(E) -> LaunchResult {
        do throws(CommandError) {
            return try run(command, context: context, deadlineMilliseconds: deadlineMilliseconds)
        } catch {
            throw wrap(error)
        }
    }

    /// ``run(announced:context:deadlineMilliseconds:)`` with the launcher's error wrapped in the caller's domain error.
    func run<E: Error>(
        announced intent: AnnouncedIntent, context: AuditContext, deadlineMilliseconds: Int, or wrap: (CommandError) -> E
    ) throws(E) -> LaunchResult {
        do throws(CommandError) {
            return try run(announced: intent, context: context, deadlineMilliseconds: deadlineMilliseconds)
        } catch {
            throw wrap(error)
        }
    }
}

extension ServiceManager {
    /// ``perform(_:_:context:)`` with the service manager's error wrapped in the caller's domain
    /// error (`or: HAProxyError.service`).
    func perform<E: Error>(
        _ operation: DaemonOperation, _ unit: DaemonUnit, context: AuditContext, or wrap: (ServiceError) -> E
    ) throws(E) -> DaemonStatus {
        do throws(ServiceError) {
            return try perform(operation, unit, context: context)
        } catch {
            throw wrap(error)
        }
    }
}
