import Glibc
import IPCProtocol
import LinuxSystem

/// A directory whose every change is an audited, fail-closed intent.
///
/// Before a file is written, renamed or removed, or a directory made, an fsynced `file-intent` record names the action,
/// the target path and, for a write, the SHA-256 and size of the new content (never the content,
/// so never key material). When that record cannot be written nothing is changed and the change
/// fails with ``AuditContext/auditUnavailable`` (503). A `file-outcome` record follows the change.
/// ```
/// let files = AuditedDirectory(directory: dir, context: context)
/// do throws(FileChangeError) { try files.write("haproxy.cfg", bytes) } catch {
///     throw error.wrapped(refused: HAProxyError.launcher, failed: HAProxyError.storage)
/// }
/// ```
struct AuditedDirectory: Sendable {
    let directory: SafeDirectory
    let context: AuditContext

    var path: String { directory.path }

    /// Replaces (or creates) `name` atomically with `bytes` (``LinuxSystem/SafeDirectory/writeAtomically(_:_:mode:)``).
    /// `announcing` (the intent of an act that follows) is recorded first, made durable by the same
    /// fsync as the write's intent (``AnnouncedIntent``).
    func write(_ name: String, _ bytes: [UInt8], mode: mode_t = 0o600, announcing: [AnnouncedIntent] = []) throws(FileChangeError) {
        try change("write", writeTarget(name, bytes, mode), announcing: announcing) { () throws(SystemError) in
            try directory.writeAtomically(name, bytes, mode: mode)
        }
    }

    /// Writes the candidate `name` (``LinuxSystem/SafeDirectory/writeCandidate(_:_:mode:)``: not yet
    /// durable); recorded as a write marked `candidate`. `announcing` (the check's intent, the
    /// promotion's) is recorded first, made durable by the same fsync as the write's intent
    /// (``AnnouncedIntent``).
    func writeCandidate(_ name: String, _ bytes: [UInt8], mode: mode_t = 0o600, announcing: [AnnouncedIntent] = []) throws(FileChangeError) {
        try change("write", writeTarget(name, bytes, mode) + [("candidate", .bool(true))], announcing: announcing) { () throws(SystemError) in
            try directory.writeCandidate(name, bytes, mode: mode)
        }
    }

    /// Like ``write(_:_:mode:)``, unless `name` already is what that write would leave (a regular
    /// file of ours, exactly `mode`, one link, holding exactly `bytes`): then nothing changes, so
    /// nothing is written, fsynced or recorded. Anything else is replaced. Returns whether it wrote.
    @discardableResult
    func writeIfChanged(_ name: String, _ bytes: [UInt8], mode: mode_t = 0o600) throws(FileChangeError) -> Bool {
        if directory.isPlainFile(name, mode: mode), let current = try? directory.read(name, limit: bytes.count + 1), current == bytes {
            return false
        }
        try write(name, bytes, mode: mode)
        return true
    }

    /// Renames `from` to `to` within the directory.
    func rename(_ from: String, to: String) throws(FileChangeError) {
        try change("rename", [("path", .string("\(path)/\(to)")), ("from", .string("\(path)/\(from)"))]) { () throws(SystemError) in
            try directory.rename(from, to: to)
        }
    }

    /// Makes the candidate `from` durable and renames it to `to` (``LinuxSystem/SafeDirectory/promote(_:to:)``);
    /// recorded as a rename marked `candidate`.
    func promote(_ from: String, to: String) throws(FileChangeError) {
        try change("rename", promotionTarget(from, to: to)) { () throws(SystemError) in
            try directory.promote(from, to: to)
        }
    }

    /// The intent ``promote(_:to:announced:)`` carries out, for announcing with the candidate's write.
    func promotionIntent(_ from: String, to: String) -> AnnouncedIntent {
        AnnouncedIntent(event: "file-intent", members: context.fields + Self.described("rename", promotionTarget(from, to: to)))
    }

    /// Like ``promote(_:to:)``, with its intent already on disk (``promotionIntent(_:to:)``, announced):
    /// refused (the intent withdrawn) when `intent` is not on disk in this context's log, the log
    /// no longer takes records, or it announced another act. Only the outcome is recorded.
    func promote(_ from: String, to: String, announced intent: AnnouncedIntent) throws(FileChangeError) {
        let described = Self.described("rename", promotionTarget(from, to: to))
        guard intent.mayAct(loggedIn: context.log), intent.announces("file-intent", context.fields + described) else {
            intent.withdraw(reason: "its intent is not on disk or not this rename's", context: context)
            throw .refused(AuditContext.auditUnavailable)
        }
        try act(described) { () throws(SystemError) in try directory.promote(from, to: to) }
    }

    /// What a promotion's records say of it: the active file, the candidate, the mark.
    private func promotionTarget(_ from: String, to: String) -> [(String, JSONValue)] {
        [("path", .string("\(path)/\(to)")), ("from", .string("\(path)/\(from)")), ("candidate", .bool(true))]
    }

    /// The child directory `name`, created (`mode`) when it does not exist yet: a creation is an
    /// audited change like any other (action `mkdir`); opening one that exists records nothing.
    /// Symlinks are refused, as by ``LinuxSystem/SafeDirectory/subdirectory(_:create:mode:)``.
    func subdirectory(_ name: String, mode: mode_t = 0o700) throws(FileChangeError) -> SafeDirectory {
        do throws(SystemError) {
            if let existing = try directory.subdirectory(name, create: false) { return existing }
        } catch {
            throw .failed(error)
        }
        let target: [(String, JSONValue)] = [("path", .string("\(path)/\(name)")), ("mode", .string(String(mode, radix: 8)))]
        let created = try change("mkdir", target) { () throws(SystemError) -> SafeDirectory? in
            try directory.subdirectory(name, create: true, mode: mode)
        }
        guard let created else { throw .failed(SystemError("mkdir", errno: ENOENT, subject: "\(path)/\(name)")) }
        return created
    }

    /// Removes the file `name`; false if it did not exist.
    @discardableResult
    func remove(_ name: String) throws(FileChangeError) -> Bool {
        try change("remove", [("path", .string("\(path)/\(name)"))]) { () throws(SystemError) in try directory.remove(name) }
    }

    /// Removes `name` and everything below it; false if it did not exist.
    @discardableResult
    func removeTree(_ name: String) throws(FileChangeError) -> Bool {
        try change("remove-tree", [("path", .string("\(path)/\(name)"))]) { () throws(SystemError) in try directory.removeTree(name) }
    }

    /// What a write's records say of it: the path, and the SHA-256, size and mode of the new content (never the content).
    private func writeTarget(_ name: String, _ bytes: [UInt8], _ mode: mode_t) -> [(String, JSONValue)] {
        [
            ("path", .string("\(path)/\(name)")), ("sha256", .string(Digest.sha256Hex(bytes))),
            ("bytes", .number(String(bytes.count))), ("mode", .string(String(mode, radix: 8))),
        ]
    }

    /// A record's members for `action` on `target` (after the context's fields).
    private static func described(_ action: String, _ target: [(String, JSONValue)]) -> [(String, JSONValue)] {
        [("action", JSONValue.string(action))] + target
    }

    /// Intent (after the announced ones, if any: one fsync for all), change, outcome.
    private func change<Result>(
        _ action: String, _ target: [(String, JSONValue)], announcing: [AnnouncedIntent] = [], _ perform: () throws(SystemError) -> Result
    ) throws(FileChangeError) -> Result {
        let described = Self.described(action, target)
        do throws(CommandError) {
            do throws(SystemError) {
                for intent in announcing { try intent.record(in: context.log) }
            } catch {
                throw AuditContext.auditUnavailable
            }
            try context.recordIntent("file-intent", described)
        } catch {
            throw .refused(error)
        }
        return try act(described, perform)
    }

    /// The change whose intent is on disk, and its outcome.
    private func act<Result>(_ described: [(String, JSONValue)], _ perform: () throws(SystemError) -> Result) throws(FileChangeError) -> Result {
        do throws(SystemError) {
            let result = try perform()
            var outcome = described + [("result", JSONValue.string("done"))]
            if let existed = result as? Bool { outcome.append(("existed", .bool(existed))) }
            context.recordOutcome("file-outcome", outcome)
            return result
        } catch {
            // `applied`: the change is there, wholly or in part, though the call failed (``SystemError/applied``).
            let applied: [(String, JSONValue)] = error.applied ? [("applied", .bool(true))] : []
            context.recordOutcome("file-outcome", described + [("result", .string("failed")), ("error", .string(error.description))] + applied)
            throw .failed(error)
        }
    }
}

/// Why an audited change (``AuditedDirectory``) did not happen.
enum FileChangeError: Error, Sendable {
    /// The intent could not be recorded: nothing was changed (``AuditContext/auditUnavailable``).
    case refused(CommandError)
    /// The change itself failed, after its intent was recorded.
    case failed(SystemError)

    /// The caller's domain error: `refused` passes the wire error through unchanged (every domain
    /// error has such a case, e.g. `HAProxyError.launcher`), `failed` wraps the system error.
    func wrapped<E: Error>(refused: (CommandError) -> E, failed: (SystemError) -> E) -> E {
        switch self {
        case .refused(let error): return refused(error)
        case .failed(let error): return failed(error)
        }
    }
}
