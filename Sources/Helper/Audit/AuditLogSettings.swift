import AgentLogging
import LinuxSystem

/// How the audit log rotates, seals and forwards (`[privsep] audit_*`).
public struct AuditLogSettings: Sendable {
    /// Rotate before a record would make the current file larger than this.
    public var maxBytes: Int
    /// Rotated files kept besides the current one (the oldest are removed).
    public var keepFiles: Int
    /// The sealing key evolves after this many records in an epoch...
    public var epochRecords: Int
    /// ...or once this many seconds passed since the epoch's first record (see ``AuditLog/sealIfDue()``).
    public var epochSeconds: Int
    /// Every record also goes here (journald or syslog, tag `amphora-audit`).
    public var forward: SyslogSink?
    /// Test seam: called at each step of a rotation; throwing there leaves the files exactly as a
    /// crash at that step would (the test then reopens the log as a restarted helper does).
    public var rotationStep: (@Sendable (AuditRotationStep) throws(SystemError) -> Void)?
    /// Test seam: called before the evolved key is stored; throwing there is a failed save.
    public var keySaveStep: (@Sendable () throws(SystemError) -> Void)?
    /// Test seam: called before each fsync of the log; throwing there is a failed fsync.
    public var syncStep: (@Sendable () throws(SystemError) -> Void)?

    public init(
        maxBytes: Int = 32 << 20, keepFiles: Int = 8, epochRecords: Int = 1000, epochSeconds: Int = 900, forward: SyslogSink? = nil,
        rotationStep: (@Sendable (AuditRotationStep) throws(SystemError) -> Void)? = nil,
        keySaveStep: (@Sendable () throws(SystemError) -> Void)? = nil,
        syncStep: (@Sendable () throws(SystemError) -> Void)? = nil
    ) {
        self.maxBytes = maxBytes
        self.keepFiles = keepFiles
        self.epochRecords = epochRecords
        self.epochSeconds = epochSeconds
        self.forward = forward
        self.rotationStep = rotationStep
        self.keySaveStep = keySaveStep
        self.syncStep = syncStep
    }
}

/// The steps of a rotation, in order (see ``AuditLog``).
public enum AuditRotationStep: String, Sendable, CaseIterable {
    /// The current file is full; nothing changed yet.
    case beforeRename
    /// The current file has its rotated name (directory synced); no current file.
    case afterRename
    /// A new, empty current file exists.
    case afterCreate
    /// The new file holds its continuation record.
    case afterContinuation
    /// The new file holds an ``AuditRecord/pruneEvent`` record for each file about to be removed.
    case afterPruneRecords
    /// Old files beyond `keepFiles` were removed.
    case afterPrune
}
