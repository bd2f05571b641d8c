import AgentConfig
import Glibc
import LinuxSystem

/// A configuration file replaced through a candidate: the new text is written to `<name>.new`, a
/// check (haproxy -c, keepalived --config-test) reads the candidate, and then the candidate either
/// replaces `<name>` atomically (``promote(clearingFailed:)``) or is kept as `<name>.new-failed` for
/// the operator (``keepFailed()``) while the active file stays. The candidate is the atomic write's
/// temporary file: fsynced only once the check accepted it, right before its rename (a crash before
/// that leaves the active file and at most an incomplete candidate, written again before any
/// check). Used by the haproxy instances, the UDP listeners and the VRRP configuration; the names
/// come from ``StateLayout``. Every step is an audited, fail-closed intent (``AuditedDirectory``).
struct CandidateFile {
    let directory: AuditedDirectory
    /// The active file's name inside `directory`.
    let name: String

    init(directory: SafeDirectory, name: String, context: AuditContext) {
        self.directory = AuditedDirectory(directory: directory, context: context)
        self.name = name
    }

    var candidateName: String { StateLayout.candidate(name) }
    var failedName: String { StateLayout.failed(name) }

    /// Writes the candidate afresh (`mode`, not yet durable); the active file is untouched.
    /// `announcing`: the intents of the acts that follow (the check's, the promotion's), made
    /// durable with the write's (``AnnouncedIntent``).
    func write(_ bytes: [UInt8], mode: mode_t = 0o600, announcing: [AnnouncedIntent] = []) throws(FileChangeError) {
        try directory.writeCandidate(candidateName, bytes, mode: mode, announcing: announcing)
    }

    /// The check refused the candidate: keep it (durably) as `.new-failed` (best effort; the refusal is what matters).
    func keepFailed() {
        try? directory.promote(candidateName, to: failedName)
    }

    /// The check accepted the candidate: it becomes the active file. With `clearingFailed`, a
    /// `.new-failed` left by an earlier refusal goes too.
    func promote(clearingFailed: Bool = false) throws(FileChangeError) {
        try directory.promote(candidateName, to: name)
        if clearingFailed { _ = try directory.remove(failedName) }
    }

    /// The intent of ``promote(announced:)``, to announce with the candidate's write.
    func promotionIntent() -> AnnouncedIntent {
        directory.promotionIntent(candidateName, to: name)
    }

    /// The check accepted the candidate: it becomes the active file, under the intent announced with
    /// its write (refused if that is not on disk).
    func promote(announced intent: AnnouncedIntent) throws(FileChangeError) {
        try directory.promote(candidateName, to: name, announced: intent)
    }

    /// Removes the active file and its candidates; true when the active file existed.
    func removeAll() throws(FileChangeError) -> Bool {
        let existed = try directory.remove(name)
        _ = try directory.remove(candidateName)
        _ = try directory.remove(failedName)
        return existed
    }
}
