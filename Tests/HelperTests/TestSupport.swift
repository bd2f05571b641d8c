import Foundation
import Glibc
import IPCProtocol
import LinuxSystem
import Testing

@testable import Helper

/// The wire error `body` fails with (its domain error mapped as the helper's boundary does), nil when it succeeds.
func wireError(_ body: () throws -> Void) -> CommandError? {
    do {
        try body()
        return nil
    } catch {
        return CommandError(mapping: error)
    }
}

/// Runs `body` with a fresh directory `<parent>/<prefix>-XXXXXXXX` (parent: the test's temporary
/// directory), removed afterwards whatever happens.
func withTemporaryDirectory(_ prefix: String, under parent: String? = nil, _ body: (String) throws -> Void) throws {
    let parent = parent ?? FileManager.default.temporaryDirectory.path
    let path = parent + "/\(prefix)-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    try body(path)
}

/// The audit log of unit tests' contexts: a real, fsynced log whose files are unlinked as soon as
/// it is open, so that nothing is left behind.
let unitTestAuditLog: AuditLog = {
    let path = FileManager.default.temporaryDirectory.path + "/amphora-helper-tests-\(getpid())-\(UUID().uuidString.prefix(8)).jsonl"
    let log = try! AuditLog(path: path)
    // The log, its sealing key and the seed exported for the auditor.
    for file in [path, path + ".seal", path + ".seed"] { unlink(file) }
    return log
}()

extension AuditContext {
    /// A command from the front (request 1, uid 999) recorded in `log`.
    static func forTests(log: AuditLog = unitTestAuditLog) -> AuditContext {
        AuditContext(log: log, requestID: 1, peerUID: 999, command: "test", origin: .front)
    }
}

/// An audit log at `path` that a test closes as a failed fsync does (``AuditLog/closeWriter(_:_:)``):
/// `close()` leaves another request's outcome waiting and fails its fsync; every later record is refused.
final class ClosableAuditLog: Sendable {
    let log: AuditLog
    let failing = LockedValue(false)

    init(path: String) throws {
        let failing = self.failing
        log = try AuditLog(
            path: path,
            settings: AuditLogSettings(syncStep: { () throws(SystemError) in
                if failing.withLock({ $0 }) { throw SystemError("fsync", errno: EIO, subject: "test") }
            }))
    }

    /// Closes the log: an outcome waits, its fsync fails.
    func close() throws {
        try log.recordBeforeNextSync("exec-outcome")
        failing.withLock { $0 = true }
        do { try log.sync() } catch { return }
        Issue.record("the failing fsync did not close the audit log")
    }
}
