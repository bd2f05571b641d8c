/// The head of the helper's audit log: its last record's sequence number, hash and sealing epoch.
///
/// The front puts it into every heartbeat (`audit_head`) and into `/1.0/details`, so that the
/// controller holds copies off the amphora; `amphora-helper audit-verify --anchor SEQ:HASH` later
/// proves that the log still contains that record (a truncated or deleted log cannot).
public struct AuditHead: Sendable, Codable, Equatable {
    public var sequence: UInt64
    /// Lowercase hex SHA-256 of the record (64 characters).
    public var hash: String
    public var epoch: UInt64

    public init(sequence: UInt64, hash: String, epoch: UInt64) {
        self.sequence = sequence
        self.hash = hash
        self.epoch = epoch
    }

    /// `{"seq": N, "hash": "...", "epoch": E}`, as the heartbeat and `/1.0/details` carry it.
    public var json: JSONValue {
        .object([("seq", .number(String(sequence))), ("hash", .string(hash)), ("epoch", .number(String(epoch)))])
    }
}
