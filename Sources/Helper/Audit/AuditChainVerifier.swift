import IPCProtocol

/// Checks audit records one at a time, in order, across the files of a log set, in constant memory.
///
/// Without a key it checks what anyone can: every record's hash, the sequence, the links (`prev`),
/// and the epoch structure (an epoch only ever advances by one, right after an
/// ``AuditRecord/epochEndEvent`` record). With the auditor's verification keys (the seeds, or any
/// epoch's key) it also checks every seal with the record's epoch key: a log rewritten by someone
/// who holds only the amphora's current key fails at the first record sealed before that key's epoch.
/// With an anchor (a head the controller received in a heartbeat) it proves that the log still
/// contains that record.
///
/// Sealing starts in epoch 0 with the seed's own record (``AuditLog/sealInitEvent`` or
/// ``AuditRecord/sealResetEvent``, naming the seed's fingerprint): at record 1, or right after the
/// unsealed records of an upgraded amphora.
///
/// A set that starts mid-chain (older files gone) verifies only when `after` links it to a known head,
/// or when it starts with the first record of a file (``AuditRecord/continuationEvent``) whose
/// predecessor a later record of the set says was pruned (``AuditRecord/pruneEvent`` naming that
/// file, its last sequence and hash); with keys it also needs an anchor, since only a head held off
/// the amphora bounds a rewrite of the set from its first record with a later epoch's key.
public final class AuditChainVerifier {
    /// The first problem found.
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        public let file: String
        /// 1-based line in ``file``.
        public let line: Int
        public let reason: String
        public var description: String { "\(file):\(line): \(reason)" }
    }

    /// What an intact set proved.
    public struct Summary: Equatable, Sendable {
        public var records = 0
        /// The first record checked (1 unless older files were not given).
        public var firstSequence: UInt64 = 0
        /// The last record.
        public var head: AuditHead?
        /// Whether every record's seal was checked with a key.
        public var sealsChecked = false
        /// Whether the anchor was found.
        public var anchorFound = false
        /// The file the set's first file follows, when a record of the set says it was pruned.
        public var prunedBefore: String?
        /// Records at the start written before sealing existed (an upgraded amphora); only the chain
        /// protects them (a change to one breaks the first sealed record's link).
        public var unsealedRecords = 0
    }

    /// `SEQ:HASH`, as `--anchor` and `--after` take it.
    public struct Link: Equatable, Sendable {
        public let sequence: UInt64
        public let hash: String
        public init(sequence: UInt64, hash: String) {
            self.sequence = sequence
            self.hash = hash
        }
        public init?(parsing text: String) {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let sequence = UInt64(parts[0]), parts[1].utf8.count == 64,
                parts[1].utf8.allSatisfy({ AuditSealKey.nibble($0) != nil })
            else { return nil }
            self.init(sequence: sequence, hash: String(parts[1]))
        }
    }

    /// The most epochs a key is evolved over to reach a record's epoch (a crafted first record could
    /// otherwise claim epoch 2^63 and keep the verifier busy for ever). At the default 1000 records
    /// per epoch that is a billion records.
    public static let maxEpochJump: UInt64 = 1_000_000

    let keys: [AuditSealKey]
    var keyIndex = 0
    let anchor: Link?
    let after: Link?
    var summary = Summary()
    var previous: AuditRecord?
    var failure: Problem?
    /// For a set that starts mid-chain: the file before it and its last record, as its first record
    /// (a continuation) names them; a prune record must name the same.
    var gap: (file: String, sequence: UInt64, hash: String)?

    /// `keys`: the auditor's verification keys, in order (a second one after an
    /// ``AuditRecord/sealResetEvent``); empty to check the chain only. `after`: the head of the file
    /// before the first one given (its last record), when the older files are gone.
    public init(keys: [AuditSealKey], anchor: Link? = nil, after: Link? = nil) {
        self.keys = keys.map { $0.copy() }
        self.anchor = anchor
        self.after = after
        summary.sealsChecked = !keys.isEmpty
    }

    /// Checks one line; false once a problem was found (see ``finish()``).
    @discardableResult
    public func check(_ line: AuditLogFile.Line, file: String, number: Int) -> Bool {
        guard failure == nil else { return false }
        if let reason = problem(line) {
            failure = Problem(file: file, line: number, reason: reason)
            return false
        }
        return true
    }

    /// The verdict once every line was given.
    public func finish() -> Result<Summary, Problem> {
        if let failure { return .failure(failure) }
        if !keys.isEmpty, summary.records > 0, summary.unsealedRecords == summary.records {
            return .failure(Problem(file: "(end)", line: 0, reason: "no record is sealed"))
        }
        if summary.records > 0, summary.firstSequence > 1, after == nil, summary.prunedBefore == nil {
            // Older records are missing, and the log does not say it removed them.
            return .failure(Problem(
                file: "(end)", line: 0,
                reason: "the set starts at record \(summary.firstSequence) but no \(AuditRecord.pruneEvent) record in it names the file before (older files not given, or removed without a trace); give the older files, or --after SEQ:HASH (the last record before it) for a set pruned before prune records existed"))
        }
        if !keys.isEmpty, summary.records > 0, summary.firstSequence > 1, after == nil, anchor == nil {
            // The first record's epoch is whatever the file says: a set rewritten from here with a later
            // epoch's key would pass. Only a link to a known head bounds it.
            return .failure(Problem(
                file: "(end)", line: 0,
                reason: "the set starts at record \(summary.firstSequence) (older files not given): seals before it cannot be checked, so a set rewritten from there with a later key would look intact; give --anchor SEQ:HASH (a heartbeat's audit_head) or --after SEQ:HASH (the last record before it)"))
        }
        if let anchor, !summary.anchorFound {
            let end = summary.head?.sequence ?? 0
            return .failure(Problem(
                file: "(end)", line: 0,
                reason: end < anchor.sequence
                    ? "the log ends at record \(end), before the anchor's record \(anchor.sequence): it was truncated or replaced"
                    : "the anchor's record \(anchor.sequence) is not among the records checked (give the older files)"))
        }
        return .success(summary)
    }

    func problem(_ line: AuditLogFile.Line) -> String? {
        let bytes: [UInt8]
        switch line {
        case .tooLong: return "line too long to be an audit record"
        case .unterminated: return "unterminated last line (a write cut short)"
        case .complete(let complete): bytes = complete
        }
        guard let record = AuditRecord.parse(bytes) else { return "not a well-formed audit record" }
        guard record.hashMatches else { return "record was edited: its hash does not match its content" }
        if let reason = linkProblem(record) { return reason }
        if let reason = sealProblem(record) { return reason }
        if let anchor, record.sequence == anchor.sequence {
            guard record.hash == anchor.hash else {
                return "record \(record.sequence) is not the anchored one (anchor hash \(anchor.hash)): the log was rewritten"
            }
            summary.anchorFound = true
        }
        if previous == nil {
            summary.firstSequence = record.sequence
            if after == nil, record.sequence > 1 { gap = Self.predecessor(named: record) }
        }
        // A prune record is written in a rotation, right after the new file's continuation (and the
        // other prune records): one elsewhere was not written by a rotation and explains nothing.
        let inRotation = previous.map { $0.event == AuditRecord.continuationEvent || $0.event == AuditRecord.pruneEvent } ?? false
        if let gap, summary.prunedBefore == nil, record.event == AuditRecord.pruneEvent, inRotation,
            record.member("file") == .string(gap.file), record.member("last_seq") == .number(String(gap.sequence)),
            record.member("last_hash") == .string(gap.hash)
        {
            summary.prunedBefore = gap.file
        }
        summary.records += 1
        summary.head = record.head
        previous = record
        return nil
    }

    /// Sequence, `prev` and the epoch structure.
    func linkProblem(_ record: AuditRecord) -> String? {
        guard let previous else {
            if let after {
                guard after.sequence < UInt64.max else { return "the given head \(after.sequence) is the last sequence number: nothing can follow it" }
                guard record.sequence == after.sequence + 1 else {
                    return "sequence number \(record.sequence), expected \(after.sequence + 1) after the given head"
                }
                guard record.prev == after.hash else { return "does not follow the given head \(after.sequence):\(after.hash)" }
            } else if record.sequence == 1 {
                guard record.prev == AuditRecord.genesisHash else { return "first record does not start the chain" }
                if let epoch = record.epoch, epoch != 0 { return "first record is in epoch \(epoch), not 0" }
                if record.epoch != nil, !Self.startsSealing(record) {
                    return "first record is \(record.event), not \(AuditLog.sealInitEvent) or \(AuditRecord.sealResetEvent)"
                }
            }
            // A set whose older files were rotated away starts mid-chain: reported in the summary.
            return nil
        }
        guard previous.sequence < UInt64.max else {
            return "a record after record \(previous.sequence), the last sequence number: the log was crafted"
        }
        guard record.sequence == previous.sequence + 1 else {
            return "sequence number \(record.sequence), expected \(previous.sequence + 1): records were removed or inserted"
        }
        guard record.prev == previous.hash else {
            return "chain broken: record \(previous.sequence) was replaced or removed"
        }
        switch (previous.epoch, record.epoch) {
        case (nil, nil):
            return nil
        case (nil, .some(let now)):
            // An upgraded amphora: sealing starts with the seed's own record, in epoch 0.
            guard now == 0, Self.startsSealing(record) else {
                return "the first sealed record after records from before sealing is \(record.event) in epoch \(now), not \(AuditLog.sealInitEvent) or \(AuditRecord.sealResetEvent) in epoch 0"
            }
            return nil
        case (.some, nil):
            return "an unsealed record after sealed ones"
        case (.some(let before), .some(let now)):
            if record.event == AuditRecord.sealResetEvent {
                return now == 0 ? nil : "seal reset in epoch \(now), not 0"
            }
            let closed = previous.event == AuditRecord.epochEndEvent
            if closed {
                return now > before && now - before == 1 ? nil : "epoch \(now) after the end of epoch \(before): expected the next one"
            }
            return now == before ? nil : "epoch \(now) after a record of epoch \(before) that did not end it"
        }
    }

    /// The seal, when keys were given.
    func sealProblem(_ record: AuditRecord) -> String? {
        guard !keys.isEmpty else { return nil }
        guard let epoch = record.epoch, let seal = record.seal else {
            // Only a prefix from before sealing existed; after a sealed record the link check refuses it.
            guard summary.records == summary.unsealedRecords else { return "record is not sealed" }
            summary.unsealedRecords += 1
            return nil
        }
        // A reset after sealed records starts a new key; after an unsealed prefix it is the first one.
        if record.event == AuditRecord.sealResetEvent, previous?.epoch != nil {
            keyIndex += 1
            guard keyIndex < keys.count else {
                let reason = record.member("reason").flatMap { if case .string(let text) = $0 { text } else { nil } } ?? "?"
                return "the sealing key was reset here (\(reason)): give its new verification key as a further --key"
            }
        }
        guard keyIndex < keys.count else { return "no key for this record" }
        let key = keys[keyIndex]
        guard epoch >= key.epoch else {
            return "sealed in epoch \(epoch), before the given key's epoch \(key.epoch): cannot be checked with it"
        }
        // Each epoch holds at least one record, so a genuine epoch is never beyond the records seen;
        // and evolving the key costs one HMAC per epoch, so a first record may not claim an absurd jump.
        guard epoch - key.epoch <= record.sequence else { return "epoch \(epoch) is impossible at record \(record.sequence)" }
        guard epoch - key.epoch <= Self.maxEpochJump else {
            return "epoch \(epoch) is more than \(Self.maxEpochJump) epochs after the given key's epoch \(key.epoch): not checked (give a later epoch's key)"
        }
        if Self.startsSealing(record), epoch == 0, key.epoch == 0 {
            // The seed's own record names it: a log sealed from the start with another key is not this one.
            let given = key.fingerprint()
            guard record.member("fingerprint") == .string(given) else {
                return "\(record.event) names another key than the given one (fingerprint \(given)): the seals were made by someone else"
            }
        }
        key.evolve(to: epoch)
        guard key.seal(record.hash) == seal else {
            return "seal does not verify with epoch \(epoch)'s key: the record was not sealed by this log's key"
        }
        return nil
    }

    /// The file a continuation record says it follows, with that file's last sequence and hash (its
    /// own `seq` - 1 and `prev`, so only a record that links to what it names); nil for any other record.
    static func predecessor(named record: AuditRecord) -> (file: String, sequence: UInt64, hash: String)? {
        guard record.event == AuditRecord.continuationEvent, record.sequence > 1,
            case .string(let file)? = record.member("previous_file"),
            record.member("previous_seq") == .number(String(record.sequence - 1)),
            record.member("previous_hash") == .string(record.prev)
        else { return nil }
        return (file, record.sequence - 1, record.prev)
    }

    /// Whether `record` is one that starts a seal chain (a new seed, recorded with its fingerprint).
    static func startsSealing(_ record: AuditRecord) -> Bool {
        record.event == AuditLog.sealInitEvent || record.event == AuditRecord.sealResetEvent
    }
}
