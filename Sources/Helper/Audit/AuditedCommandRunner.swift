import IPCProtocol
import ProgramLauncher

/// Runs commands through the launchers, auditing intent before and outcome after each one.
/// If the intent record cannot be written, the command is not run.
public final class AuditedCommandRunner: CommandRunning {
    let pool: LauncherPool
    let audit: AuditLog
    let paths: ProgramPaths
    /// Shares a load balancer's certificates with the check account before its haproxy check.
    let certificateSharing: CertificateSharing?

    public init(pool: LauncherPool, audit: AuditLog, paths: ProgramPaths, certificateSharing: CertificateSharing? = nil) {
        self.pool = pool
        self.audit = audit
        self.paths = paths
        self.certificateSharing = certificateSharing
    }

    public func run(_ command: LaunchCommand, context: AuditContext, deadlineMilliseconds: Int = 30_000) throws(CommandError)
        -> LaunchResult
    {
        do {
            try audit.record("exec-intent", Self.intentMembers(command, context: context, paths: paths))
        } catch {
            throw AuditContext.auditUnavailable
        }
        return try execute(command, context: context, deadlineMilliseconds: deadlineMilliseconds)
    }

    public func intent(for command: LaunchCommand, context: AuditContext) -> AnnouncedIntent? {
        AnnouncedIntent(command: command, event: "exec-intent", members: Self.intentMembers(command, context: context, paths: paths))
    }

    /// Runs the announced command once its intent is on disk; refused (503, the intent withdrawn)
    /// if it is not, if the log no longer takes records, or if the record is not this runner's
    /// `exec-intent` of exactly that command.
    public func run(announced intent: AnnouncedIntent, context: AuditContext, deadlineMilliseconds: Int = 30_000) throws(CommandError)
        -> LaunchResult
    {
        guard let command = intent.command, intent.mayAct(loggedIn: audit),
            intent.announces("exec-intent", Self.intentMembers(command, context: context, paths: paths))
        else {
            intent.withdraw(reason: "its intent is not on disk or not this command's", context: context)
            throw AuditContext.auditUnavailable
        }
        return try execute(command, context: context, deadlineMilliseconds: deadlineMilliseconds)
    }

    /// Who asked (``AuditContext/fields``), then what runs: every record of a command starts so.
    static func baseMembers(_ command: LaunchCommand, context: AuditContext) -> [(String, JSONValue)] {
        context.fields + [("operation", .string(command.name))]
            + (command.namespace.map { [("netns", JSONValue.string($0.description))] } ?? [])
    }

    /// The `exec-intent` record's members: the exact argv the launcher is asked to run.
    static func intentMembers(_ command: LaunchCommand, context: AuditContext, paths: ProgramPaths) -> [(String, JSONValue)] {
        let argv = [command.program.rawValue] + command.arguments(paths)
        return baseMembers(command, context: context) + [("argv", .array(argv.map { .string($0) }))]
    }

    /// Runs `command` (its intent durable) and records its outcome.
    func execute(_ command: LaunchCommand, context: AuditContext, deadlineMilliseconds: Int) throws(CommandError) -> LaunchResult {
        let base = Self.baseMembers(command, context: context)
        let result: LaunchResult
        do {
            if case .haproxyCheck(let instance, _, _) = command { try certificateSharing?.share(instance) }
            result = try pool.run(command, deadlineMilliseconds: deadlineMilliseconds)
        } catch {
            context.recordOutcome("exec-outcome", members: base + [("error", .string(error.message))], in: audit)
            throw error
        }
        var outcome = base
        outcome.append(("argv", .array(result.argv.map { .string($0) })))
        if let refusal = result.refusal { outcome.append(("refused", .string(refusal))) }
        if let code = result.exitCode { outcome.append(("exit_code", .number(String(code)))) }
        if let signal = result.signal { outcome.append(("signal", .number(String(signal)))) }
        outcome.append(("timed_out", .bool(result.timedOut)))
        outcome.append(("duration_us", .number(String(result.durationMicroseconds))))
        outcome.append(("stdout_sha256", .string(Digest.sha256Hex(result.stdout.utf8))))
        context.recordOutcome("exec-outcome", members: outcome, in: audit)
        return result
    }
}
