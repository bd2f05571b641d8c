import CLinuxShim
import Glibc
import LinuxSystem

/// The helper's current sealing key on disk (`<audit_log>.seal`, 0600 in the log's 0700 directory),
/// and the one-time export of the seed for the auditor (`<audit_log>.seed`, 0400).
///
/// The key file is replaced atomically (temp, fsync, rename, fsync the directory) at every epoch;
/// the replaced file's blocks are then overwritten with zeros through a descriptor kept open across
/// the rename, so the previous epoch's key does not stay in the filesystem's free space (on ext4
/// and other filesystems that overwrite in place; not on copy-on-write ones).
public struct AuditSealKeyStore: Sendable {
    let directory: SafeDirectory
    /// The key file's name in ``directory``.
    public let name: String
    /// The seed export's name in ``directory``.
    public let seedName: String

    public init(directory: SafeDirectory, logName: String) {
        self.directory = directory
        name = logName + ".seal"
        seedName = logName + ".seed"
    }

    /// The stored key, or nil when there is none; throws when the file exists but is not a key file.
    public func load() throws(SystemError) -> AuditSealKey? {
        guard var text = try directory.read(name, limit: 4096) else { return nil }
        defer { text.withUnsafeMutableBytes { secureZero($0) } }
        guard let key = AuditSealKey.parse(text) else { throw SystemError("parse", errno: EINVAL, subject: "\(directory.path)/\(name)") }
        return key
    }

    /// Replaces the stored key with `key` and scrubs the replaced file.
    public func save(_ key: AuditSealKey) throws(SystemError) {
        let old = cshim_open_beneath(directory.fd, name, O_RDWR | O_NOFOLLOW | O_CLOEXEC, 0)
        defer { if old >= 0 { close(old) } }
        var text = key.serialized()
        defer { text.withUnsafeMutableBytes { secureZero($0) } }
        try directory.writeAtomically(name, text, mode: 0o600)
        if old >= 0 { Self.scrub(old) }
    }

    /// Overwrites an (unlinked) file's content with zeros and syncs it.
    static func scrub(_ fd: Int32) {
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_size > 0 else { return }
        let zeros = [UInt8](repeating: 0, count: Int(status.st_size))
        _ = zeros.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        fsync(fd)
    }

    /// Writes the seed (an epoch-0 key) once for the auditor: `<log>.seed`, mode 0400, with a comment
    /// saying what it is. Replaces a stale seed file of an earlier key.
    public func exportSeed(_ seed: AuditSealKey, logPath: String) throws(SystemError) {
        var text = seed.serialized(comment: Self.seedComment(seed, logPath: logPath))
        defer { text.withUnsafeMutableBytes { secureZero($0) } }
        try directory.writeAtomically(seedName, text, mode: 0o400)
    }

    /// The comment lines of an exported seed.
    public static func seedComment(_ seed: AuditSealKey, logPath: String) -> [String] {
        [
            "amphora audit log verification key (epoch 0) for \(logPath), made \(utcTimestamp())",
            "fingerprint \(seed.fingerprint())",
            "Copy this file off the amphora, then delete it here: whoever holds it can forge seals.",
            "Verify with: amphora-helper audit-verify --key THIS-FILE \(parentDirectory(logPath))",
        ]
    }
}
