import Foundation
import IPCProtocol
import LinuxSystem
import ProgramLauncher
import Testing

@testable import Helper

/// Audits as ``AuditedCommandRunner`` does, into the context's log, and runs nothing: the check
/// "passes" with `exitCode`.
final class AnnouncingRunner: CommandRunning {
    let ran = LockedValue<[LaunchCommand]>([])
    let exitCode: Int32

    init(exitCode: Int32 = 0) { self.exitCode = exitCode }

    func run(_ command: LaunchCommand, context: AuditContext, deadlineMilliseconds: Int) throws(CommandError) -> LaunchResult {
        do {
            try context.log.record("exec-intent", context.fields + [("operation", .string(command.name))])
        } catch {
            throw AuditContext.auditUnavailable
        }
        return finish(command, context: context)
    }

    func intent(for command: LaunchCommand, context: AuditContext) -> AnnouncedIntent? {
        AnnouncedIntent(command: command, event: "exec-intent", members: context.fields + [("operation", .string(command.name))])
    }

    func run(announced intent: AnnouncedIntent, context: AuditContext, deadlineMilliseconds: Int) throws(CommandError) -> LaunchResult {
        guard let command = intent.command, intent.isDurable else { throw AuditContext.auditUnavailable }
        return finish(command, context: context)
    }

    func finish(_ command: LaunchCommand, context: AuditContext) -> LaunchResult {
        ran.withLock { $0.append(command) }
        context.recordOutcome("exec-outcome", [("operation", .string(command.name)), ("exit_code", .number(String(exitCode)))])
        return LaunchResult(
            id: 1, argv: [], exitCode: exitCode, signal: nil, timedOut: false, stdout: "", stderr: "", outputTruncated: false,
            durationMicroseconds: 1, refusal: nil)
    }
}

/// An upload's check announced with its candidate (``AnnouncedIntent``): one fsync for both
/// intents, the check only once its intent is durable, and a check that never runs says why.
@Suite("announced check")
struct AnnouncedCheckTests: HAProxyInstanceSuite {
    let context = AuditContext.forTests()

    /// Instances on a fresh base directory with `runner`, their audit log `audit.jsonl` beside it.
    func withInstances(
        _ runner: AnnouncingRunner, log makeLog: (String) throws -> AuditLog = { try AuditLog(path: $0) },
        _ body: (HAProxyInstances, AuditContext, String, String) throws -> Void
    ) throws {
        try withTemporaryDirectory("amp-announced") { root in
            let base = root + "/base"
            try FileManager.default.createDirectory(atPath: base + "/certs", withIntermediateDirectories: true)
            let logPath = root + "/audit.jsonl"
            let context = AuditContext.forTests(log: try makeLog(logPath))
            let instances = HAProxyInstances(
                base: try SafeDirectory.open(base, create: false),
                paths: ProgramPaths(haproxy: "/usr/sbin/haproxy", keepalived: "/usr/sbin/keepalived", basePath: base, baseCertDir: base + "/certs"),
                baseCertDir: base + "/certs", runner: runner, services: SystemdServiceManager(runner: RecordingRunner()))
            try body(instances, context, base, logPath)
        }
    }

    /// The log's records of files and programs: (event, operation or action).
    func trail(_ path: String) throws -> [String] {
        try AuditTrailTests.records(path).compactMap { record in
            guard let event = AuditTrailTests.string(record, "event"), event.hasPrefix("exec-") || event.hasPrefix("file-") else { return nil }
            let what = AuditTrailTests.string(record, "operation") ?? AuditTrailTests.string(record, "action") ?? ""
            let announced = AuditTrailTests.isMarked(record, "announced") ? " announced" : ""
            return "\(event) \(what)\(announced)"
        }
    }

    @Test("an accepted upload: the check's and the promotion's intents ahead of the candidate's, the check after the write, then the promotion")
    func accepted() throws {
        let runner = AnnouncingRunner()
        try withInstances(runner) { instances, context, base, log in
            _ = try instances.upload(upload(octavia(base)), context: context)
            #expect(runner.ran.withLock { $0 } == [.haproxyCheck(instance: id, amphora: amphora, candidate: true)])
            let trail = try trail(log)
            // A new load balancer's directory is made first (audited like any change).
            #expect(Array(trail.prefix(8)) == [
                "file-intent mkdir", "file-outcome mkdir",
                "exec-intent haproxy-check announced", "file-intent rename announced", "file-intent write", "file-outcome write",
                "exec-outcome haproxy-check", "file-outcome rename",
            ])
            let records = try AuditTrailTests.records(log)
            let promotion = try #require(records.first {
                AuditTrailTests.string($0, "event") == "file-intent" && AuditTrailTests.string($0, "action") == "rename"
            })
            #expect(AuditTrailTests.string(promotion, "path") == "\(base)/\(id)/haproxy.cfg")
            #expect(AuditTrailTests.string(promotion, "from") == "\(base)/\(id)/haproxy.cfg.new")
            #expect(FileManager.default.fileExists(atPath: "\(base)/\(id)/haproxy.cfg"))
        }
    }

    @Test("a candidate the check refuses: the promotion is withdrawn, the candidate kept as .new-failed, no active file")
    func checkRefuses() throws {
        let runner = AnnouncingRunner(exitCode: 1)
        try withInstances(runner) { instances, context, base, log in
            #expect(throws: HAProxyError.self) { _ = try instances.upload(upload(octavia(base)), context: context) }
            #expect(try trail(log) == [
                "file-intent mkdir", "file-outcome mkdir",
                "exec-intent haproxy-check announced", "file-intent rename announced", "file-intent write", "file-outcome write",
                "exec-outcome haproxy-check", "file-outcome rename announced", "file-intent rename", "file-outcome rename",
            ])
            let withdrawn = try #require(try AuditTrailTests.records(log).first { AuditTrailTests.string($0, "event") == "file-outcome" && AuditTrailTests.isMarked($0, "announced") })
            #expect(AuditTrailTests.string(withdrawn, "error") == "not run: the check refused the candidate")
            #expect(AuditTrailTests.string(withdrawn, "path") == "\(base)/\(id)/haproxy.cfg")
            #expect(!FileManager.default.fileExists(atPath: "\(base)/\(id)/haproxy.cfg"))
            #expect(FileManager.default.fileExists(atPath: "\(base)/\(id)/haproxy.cfg.new-failed"))
        }
    }

    @Test("a candidate that cannot be written: neither the check nor the promotion happens, and their outcomes say so")
    func candidateNotWritten() throws {
        let runner = AnnouncingRunner()
        try withInstances(runner) { instances, context, base, log in
            // A directory where the candidate goes: its removal fails after the intents were recorded.
            try FileManager.default.createDirectory(atPath: "\(base)/\(id)/haproxy.cfg.new/x", withIntermediateDirectories: true)
            #expect(throws: HAProxyError.self) { _ = try instances.upload(upload(octavia(base)), context: context) }
            #expect(runner.ran.withLock { $0 }.isEmpty)
            #expect(try trail(log) == [
                "exec-intent haproxy-check announced", "file-intent rename announced", "file-intent write", "file-outcome write",
                "exec-outcome haproxy-check announced", "file-outcome rename announced",
            ])
            let records = try AuditTrailTests.records(log)
            let outcome = try #require(records.last { AuditTrailTests.string($0, "event") == "exec-outcome" })
            #expect(AuditTrailTests.string(outcome, "error") == "not run: the candidate could not be written")
            let promotion = try #require(records.last)
            #expect(AuditTrailTests.string(promotion, "error") == "not run: the candidate could not be written")
            #expect(AuditTrailTests.string(promotion, "result") == "not run")
            #expect(AuditTrailTests.string(outcome, "result") == "not run")
            #expect(!FileManager.default.fileExists(atPath: "\(base)/\(id)/haproxy.cfg"))
        }
    }

    @Test("an audit log that refuses the intents: 503, nothing written, nothing run, no outcome for a check never announced")
    func logRefuses() throws {
        let runner = AnnouncingRunner()
        try withInstances(runner, log: { try AuditTrailTests.unwritableAuditLog(at: $0) }) { instances, context, base, log in
            let result = Result { () throws(HAProxyError) in try instances.upload(upload(octavia(base)), context: context) }
            switch result {
            case .success: Issue.record("an upload went through an unwritable audit log")
            case .failure(.launcher(let refusal)): #expect(refusal == AuditContext.auditUnavailable)
            case .failure(let other): Issue.record("refused with \(other), not the audit's refusal")
            }
            #expect(runner.ran.withLock { $0 }.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: "\(base)/\(id)/haproxy.cfg.new"))
            let outcomes = try trail(log).filter { $0.hasPrefix("exec-outcome") }
            #expect(outcomes.isEmpty)
        }
    }

    @Test("an announced intent that is not on disk runs nothing")
    func notDurableRunsNothing() throws {
        let runner = AnnouncingRunner()
        let intent = try #require(runner.intent(for: .haproxyCheck(instance: id, amphora: amphora, candidate: true), context: context))
        #expect(throws: CommandError.self) { _ = try runner.run(announced: intent, context: context, deadlineMilliseconds: 1000) }
        #expect(runner.ran.withLock { $0 }.isEmpty)
    }

    @Test("an announced promotion after a failed fsync closed the log renames nothing (as its own intent would be refused)")
    func promotionAfterLogClosed() throws {
        try withTemporaryDirectory("amp-promotion-closed") { root in
            let closable = try ClosableAuditLog(path: root + "/audit.jsonl")
            let log = closable.log
            let directory = try SafeDirectory.open(root, create: false)
            let context = AuditContext.forTests(log: log)
            let config = CandidateFile(directory: directory, name: "haproxy.cfg", context: context)
            let promotion = config.promotionIntent()
            try config.write(Array("text".utf8), announcing: [promotion])
            #expect(promotion.isDurable && promotion.mayAct(loggedIn: log))
            // Another request's outcome waits; its fsync fails: the log closes.
            try closable.close()
            #expect(promotion.isDurable && !promotion.mayAct(loggedIn: log))
            #expect(throws: FileChangeError.self) { try config.promote(announced: promotion) }
            #expect(!directory.exists("haproxy.cfg"))
        }
    }

    @Test("a promotion whose announced intent is not on disk, or names another file, renames nothing (503)")
    func promotionRefused() throws {
        try withTemporaryDirectory("amp-promotion") { root in
            let directory = try SafeDirectory.open(root, create: false)
            let context = AuditContext.forTests(log: try AuditLog(path: root + "/audit.jsonl"))
            let config = CandidateFile(directory: directory, name: "haproxy.cfg", context: context)
            let other = CandidateFile(directory: directory, name: "other.cfg", context: context)
            let notWritten = config.promotionIntent()
            try config.write(Array("text".utf8))
            let refusal = { (error: FileChangeError) -> Bool in
                if case .refused(let refused) = error { return refused == AuditContext.auditUnavailable }
                return false
            }
            #expect { try config.promote(announced: notWritten) } throws: { refusal($0 as! FileChangeError) }
            let forOther = other.promotionIntent()
            try config.write(Array("text".utf8), announcing: [forOther])
            #expect(forOther.isDurable)
            #expect { try config.promote(announced: forOther) } throws: { refusal($0 as! FileChangeError) }
            #expect(!directory.exists("haproxy.cfg"))
            #expect(directory.exists("haproxy.cfg.new"))
            let own = config.promotionIntent()
            try config.write(Array("text".utf8), announcing: [own])
            try config.promote(announced: own)
            #expect(try directory.read("haproxy.cfg") == Array("text".utf8))
        }
    }
}
