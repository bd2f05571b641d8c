import Glibc
import IPCProtocol
import ProgramLauncher

/// The systemd service manager: `systemctl start|stop|reload|is-active <unit>` through the launcher
/// (so each call is an audited execution with an exact argv). A started unit is enabled first and a
/// stopped one disabled after, so a reboot brings back exactly the daemons that ran (upstream enables
/// its haproxy and keepalived units too), without any call from the controller.
///
/// The units name fixed paths and programs (`/var/lib/octavia/<id>/haproxy.cfg`, `/usr/sbin/haproxy`,
/// ...): where the configuration says otherwise (``AgentConfiguration/systemdUnitsMismatch``), no
/// unit is started, enabled or reloaded, since systemd would run what the helper never checked.
public final class SystemdServiceManager: ServiceManager {
    let runner: any CommandRunning
    /// Why no unit may run (the configuration and the units disagree); nil when they agree.
    let unitsMismatch: String?

    public init(runner: any CommandRunning, unitsMismatch: String? = nil) {
        self.runner = runner
        self.unitsMismatch = unitsMismatch
    }

    /// Refuses an operation that would have systemd run a unit while the units and the configuration disagree.
    func requireMatchingUnits(_ operation: DaemonOperation) throws(ServiceError) {
        guard let unitsMismatch, operation == .start || operation == .reload || operation == .enable else { return }
        throw .managerUnavailable(details: "systemd would run other files than the helper checks: \(unitsMismatch)")
    }

    public func perform(_ operation: DaemonOperation, _ unit: DaemonUnit, context: AuditContext) throws(ServiceError) -> DaemonStatus {
        try requireMatchingUnits(operation)
        switch operation {
        case .start:
            _ = try systemctl(.enable, unit, context: context)
            return try systemctl(.start, unit, context: context)
        case .stop:
            let status = try systemctl(.stop, unit, context: context)
            _ = try systemctl(.disable, unit, context: context)
            return status
        default:
            return try systemctl(operation, unit, context: context)
        }
    }

    /// The intent of an operation that is one `systemctl` call (not start or stop: those enable or disable too), to announce.
    public func intent(for operation: DaemonOperation, _ unit: DaemonUnit, context: AuditContext) -> AnnouncedIntent? {
        switch operation {
        case .start, .stop: return nil
        default: return runner.intent(for: .systemctl(operation, unit), context: context)
        }
    }

    /// The operation's `systemctl` call under its announced intent: refused (the intent withdrawn)
    /// unless that announced exactly this call (and, by the runner, unless it is on disk and is the
    /// runner's record of that call).
    public func perform(announced intent: AnnouncedIntent, _ operation: DaemonOperation, _ unit: DaemonUnit, context: AuditContext)
        throws(ServiceError) -> DaemonStatus
    {
        guard operation != .start, operation != .stop, intent.command == .systemctl(operation, unit) else {
            intent.withdraw(reason: "its intent is not this operation's", context: context)
            throw .auditUnavailable
        }
        do throws(ServiceError) {
            try requireMatchingUnits(operation)
        } catch {
            intent.withdraw(reason: "the systemd units and the configuration disagree", context: context)
            throw error
        }
        let result = try runner.run(announced: intent, context: context, deadlineMilliseconds: 90_000, or: ServiceError.launcher)
        return try Self.status(of: result, operation, unit)
    }

    func systemctl(_ operation: DaemonOperation, _ unit: DaemonUnit, context: AuditContext) throws(ServiceError) -> DaemonStatus {
        let result = try runner.run(.systemctl(operation, unit), context: context, deadlineMilliseconds: 90_000, or: ServiceError.launcher)
        return try Self.status(of: result, operation, unit)
    }

    /// What a `systemctl` call's result says of the unit.
    static func status(of result: LaunchResult, _ operation: DaemonOperation, _ unit: DaemonUnit) throws(ServiceError) -> DaemonStatus {
        switch operation {
        case .status:
            return DaemonStatus(running: result.succeeded && result.stdout.hasPrefix("active"), pid: nil)
        default:
            guard result.succeeded else {
                throw .failed(operation, unit, details: ToolFailure.summary(result, tool: "systemctl"))
            }
            return DaemonStatus(running: operation != .stop && operation != .disable, pid: nil)
        }
    }
}
