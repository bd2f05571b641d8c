import AgentLogging
import CLinuxShim
import Glibc
import IPCProtocol
import LinuxSystem
import Logging

/// The helper's append-only audit log: hash-chained, forward-secure sealed JSON lines
/// (``AuditRecord``), rotated by size without breaking the chain, forwarded to syslog.
///
/// A record written with ``record(_:_:)`` is fsynced before it returns, together with every record
/// written before it, and a failure to write is thrown so that the caller refuses the command (fail
/// closed). The outcome of a command the front sent (what came of an act already taken) is appended
/// with ``recordBeforeNextSync(_:_:)`` instead (``AuditContext/recordOutcome(_:_:)``): it is in the
/// file at once and becomes durable with the next fsync, the next intent's or the ``sync()`` the
/// helper makes before it replies. So an act's intent is durable before the act, and its outcome
/// before anything else acts or any reply says it happened, at one fsync per act instead of two.
/// An intent may be appended ahead the same way (``recordAhead(_:_:)``, ``AnnouncedIntent``) when
/// another act's intent follows at once: its act waits until ``durableHead`` covers it.
/// A failed fsync while such records wait closes the writer: every later record, sync and rotation
/// fails (fail closed) until the helper restarts, and the reply that sync preceded says only what
/// was done. Syslog gets a record, and ``durableHead`` counts it, once it is durable. Never pass
/// key material: callers log digests.
///
/// **Sealing.** Records are sealed with the current epoch's ``AuditSealKey``; after
/// ``AuditLogSettings/epochRecords`` records, or ``AuditLogSettings/epochSeconds`` after an epoch's
/// first record, an ``AuditRecord/epochEndEvent`` record closes the epoch and the key evolves (the
/// key file is replaced and the old one scrubbed: ``AuditSealKeyStore``). At the first start the seed
/// is made from `getrandom` and exported once to `<log>.seed` (0400) for the auditor to collect.
///
/// **Rotation.** Before a record would take the current file past ``AuditLogSettings/maxBytes``:
/// 1. rename `audit.jsonl` to `audit.jsonl.<its last sequence>` (and sync the directory);
/// 2. create a new `audit.jsonl`;
/// 3. write its first record, ``AuditRecord/continuationEvent``, naming the previous file, its
///    last sequence and hash (the chain simply continues: same `seq` + 1 and `prev`);
/// 4. for each of the oldest rotated files beyond ``AuditLogSettings/keepFiles``, write an
///    ``AuditRecord/pruneEvent`` record (its name, first and last sequence, last hash), then remove them.
/// A crash between any two steps is repaired at start-up: a missing or empty current file continues
/// from the newest rotated file's last record (step 2 and 3 are redone); an unterminated last line
/// (an intent whose write never completed, so whose act never ran, or an outcome not yet durable)
/// is cut off and recorded as ``tornTailEvent`` with its digest; leftover old files go at the next
/// rotation. So no record that an act or a reply followed is lost and none is written twice; a file
/// whose prune record was written but which was not removed yet is pruned (and recorded) again at
/// the next rotation.
///
/// **Start-up** reads only the end of the current file (``AuditLogFile/tail(_:size:subject:)``).
public final class AuditLog: Sendable {
    public static let genesisHash = AuditRecord.genesisHash
    /// The record of an unterminated last line cut off at start-up.
    public static let tornTailEvent = "audit-torn-tail"
    /// The record of a new seed made at the first start.
    public static let sealInitEvent = "audit-seal-init"
    /// The record of an evolved key that could not be stored (the key file still holds the previous
    /// epoch's key); storing it is retried before every later record.
    public static let sealSaveFailedEvent = "audit-seal-save-failed"
    /// The last sequence number a record may have: a rotation may add its continuation record after it.
    static let lastUsableSequence = UInt64.max - 2

    struct WriterState {
        var fd: Int32
        var size: Int64
        var head: AuditHead
        var lastEvent: String?
        var recordsInEpoch = 0
        var epochStarted: UInt64?
        let key: AuditSealKey
        /// The evolved key could not be stored: the key file still holds an earlier epoch's key.
        var keyUnsaved = false
        /// The lines appended after the last fsync (``recordBeforeNextSync(_:_:)``), for syslog once durable.
        var unsynced: [[UInt8]] = []
        /// The last record known to be on disk.
        var durableHead: AuditHead
        /// Why the writer closed (``closeWriter(_:_:)``): every later record fails with it.
        var failure: SystemError?
    }

    public let path: String
    let logName: String
    let directory: SafeDirectory
    let keyStore: AuditSealKeyStore
    let settings: AuditLogSettings
    private let state: LockedValue<WriterState>

    /// Opens (creating 0600 if needed) the log at `path` and continues its chain.
    public convenience init(path: String) throws(SystemError) {
        try self.init(path: path, settings: AuditLogSettings())
    }

    /// Opens the log at `path` (its directory must exist), repairs what a crash left, and continues the chain.
    public init(path: String, settings: AuditLogSettings) throws(SystemError) {
        self.path = path
        self.settings = settings
        let slash = path.lastIndex(of: "/")
        let logName = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let directory = try SafeDirectory.open(slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? ".", create: false)
        self.logName = logName
        self.directory = directory
        directory.removeStaleTemporaryFiles()
        let keyStore = AuditSealKeyStore(directory: directory, logName: logName)
        self.keyStore = keyStore

        let fd = try retryingSyscall("open", subject: path) {
            cshim_open_beneath(directory.fd, logName, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        }
        var notes: [(String, [(String, JSONValue)])] = []
        var continuation: [(String, JSONValue)]?
        let recovered: (head: AuditHead, lastEvent: String?, size: Int64)
        /// The log's last record was written before sealing existed (an upgraded amphora).
        var unsealed = false
        do {
            var status = stat()
            try retryingSyscall("fstat", subject: path) { fstat(fd, &status) }
            let tail = try AuditLogFile.tail(fd, size: Int64(status.st_size), subject: path)
            if tail.completeLength < tail.size {
                // A record whose write never finished: its command never ran. Cut it off, say so.
                let torn = try AuditLogFile.readRange(fd, from: tail.completeLength, to: tail.size, subject: path)
                try retryingSyscall("ftruncate", subject: path) { ftruncate(fd, off_t(tail.completeLength)) }
                try retryingSyscall("fsync", subject: path) { fsync(fd) }
                notes.append((Self.tornTailEvent, [("bytes", .number(String(torn.count))), ("sha256", .string(Digest.sha256Hex(torn)))]))
            }
            if let line = tail.lastLine {
                let last = AuditRecord.parse(line)
                unsealed = last != nil && last?.epoch == nil
                recovered = (try Self.head(of: line, fd: fd, subject: path), last?.event, tail.completeLength)
            } else if tail.completeLength > 0 {
                // Content but no recognisable line end: continue after whatever is there; verification reports it.
                recovered = (AuditHead(sequence: 0, hash: Self.genesisHash, epoch: 0), nil, tail.completeLength)
            } else if let previous = AuditLogFile.rotatedFiles(try directory.entries(), logName: logName).last {
                // Crashed between rotation steps: the current file is missing or empty.
                let (head, event) = try Self.lastRecord(ofFile: directory.path + "/" + previous)
                recovered = (head, event, 0)
                continuation = [
                    ("previous_file", .string(previous)), ("previous_seq", .number(String(head.sequence))),
                    ("previous_hash", .string(head.hash)),
                ]
            } else {
                recovered = (AuditHead(sequence: 0, hash: Self.genesisHash, epoch: 0), nil, 0)
            }
            // What an earlier helper left not yet durable (its last command's outcomes) is made so
            // before this one names it as its durable head.
            try retryingSyscall("fsync", subject: path) { fsync(fd) }
        } catch {
            close(fd)
            throw error
        }

        guard recovered.head.sequence < Self.lastUsableSequence, recovered.head.epoch < UInt64.max else {
            // Only a crafted log ends there (2^64 records are never written): continuing would wrap the
            // chain. Fail closed; the operator moves the set away (keeping it as evidence) and restarts.
            close(fd)
            throw SystemError(
                "audit log ends at seq \(recovered.head.sequence) epoch \(recovered.head.epoch), which cannot be continued (a crafted log?): move the log set away, keep it for audit-verify, restart",
                errno: EOVERFLOW, subject: path)
        }
        let key: AuditSealKey
        do {
            (key, notes) = try Self.sealKey(
                store: keyStore, head: recovered.head, lastEvent: recovered.lastEvent, unsealed: unsealed, logPath: path, notes: notes)
        } catch {
            close(fd)
            throw error
        }
        state = LockedValue(
            WriterState(fd: fd, size: recovered.size, head: recovered.head, lastEvent: recovered.lastEvent, key: key, durableHead: recovered.head))
        // The seal's own record first (a reset starts the new key's chain), then the continuation of
        // a file recreated after a crash mid-rotation, then what was repaired.
        let sealNotes = notes.filter { $0.0 == AuditRecord.sealResetEvent || $0.0 == Self.sealInitEvent }
        for (event, fields) in sealNotes { try record(event, fields) }
        if let continuation { try record(AuditRecord.continuationEvent, continuation) }
        for (event, fields) in notes where event != AuditRecord.sealResetEvent && event != Self.sealInitEvent {
            try record(event, fields)
        }
    }

    deinit { _ = state.withLock { close($0.fd) } }

    /// The key to seal with, given what the log says; a new seed when there is none or it does not
    /// fit the log (recorded as ``AuditRecord/sealResetEvent``, which verification reports).
    static func sealKey(
        store: AuditSealKeyStore, head: AuditHead, lastEvent: String?, unsealed: Bool, logPath: String,
        notes: [(String, [(String, JSONValue)])]
    ) throws(SystemError) -> (AuditSealKey, [(String, [(String, JSONValue)])]) {
        var notes = notes
        let stored: AuditSealKey?
        var problem: String?
        do {
            stored = try store.load()
        } catch {
            stored = nil
            problem = "the key file is unreadable (\(error))"
        }
        let closed = lastEvent == AuditRecord.epochEndEvent
        if let stored {
            if head.sequence == 0 || unsealed {
                if stored.epoch == 0 {
                    // Made by audit-init, its seed exported there: record which seed verifies this log.
                    notes.insert((sealInitEvent, [("fingerprint", .string(stored.fingerprint())), ("seed_file", .string("audit-init --export"))]), at: 0)
                    return (stored, notes)
                }
                problem = "the key is in epoch \(stored.epoch) but the log is empty"
            } else if stored.epoch == head.epoch && !closed {
                return (stored, notes)
            } else if stored.epoch == head.epoch && closed {
                // Crashed between closing the epoch and storing the next key.
                stored.evolve()
                try store.save(stored)
                return (stored, notes)
            } else if stored.epoch == head.epoch + 1 && closed {
                return (stored, notes)
            } else {
                problem = "the key is in epoch \(stored.epoch) but the log's last record is in epoch \(head.epoch)"
            }
        } else if problem == nil, head.sequence > 0, !unsealed {
            problem = "no key file"
        }
        let seed = AuditSealKey.generate()
        try store.exportSeed(seed, logPath: logPath)
        let key = seed.copy()
        try store.save(key)
        let fields: [(String, JSONValue)] = [("fingerprint", .string(seed.fingerprint())), ("seed_file", .string(store.seedName))]
        if let problem {
            notes.insert((AuditRecord.sealResetEvent, [("reason", .string(problem))] + fields), at: 0)
        } else {
            notes.insert((sealInitEvent, fields), at: 0)
        }
        return (key, notes)
    }

    /// The head a last line gives: its own, or for a line that is not a record, the last record
    /// before it plus the lines after (read through once, in constant memory).
    static func head(of line: [UInt8], fd: Int32, subject: String) throws(SystemError) -> AuditHead {
        if let record = AuditRecord.parse(line) { return record.head }
        var last = AuditHead(sequence: 0, hash: genesisHash, epoch: 0)
        var after: UInt64 = 0
        try AuditLogFile.forEachLine(fd: fd, subject: subject) { line, _ in
            if case .complete(let bytes) = line, let record = AuditRecord.parse(bytes) {
                last = record.head
                after = 0
            } else {
                after += 1
            }
            return true
        }
        let (sequence, overflow) = last.sequence.addingReportingOverflow(after)
        // Past the last sequence number: the start-up refuses to continue it.
        return AuditHead(sequence: overflow ? UInt64.max : sequence, hash: Digest.sha256Hex(line), epoch: last.epoch)
    }

    /// The head and event of a closed file's last record.
    static func lastRecord(ofFile path: String) throws(SystemError) -> (AuditHead, String?) {
        let fd = try retryingSyscall("open", subject: path) { open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK) }
        defer { close(fd) }
        var status = stat()
        try retryingSyscall("fstat", subject: path) { fstat(fd, &status) }
        let tail = try AuditLogFile.tail(fd, size: Int64(status.st_size), subject: path)
        guard let line = tail.lastLine else { return (AuditHead(sequence: 0, hash: genesisHash, epoch: 0), nil) }
        return (try head(of: line, fd: fd, subject: path), AuditRecord.parse(line)?.event)
    }

    /// The last record's sequence number, hash and epoch. It may not be on disk yet: the anchor
    /// sent off the amphora is ``durableHead``.
    public var head: AuditHead { state.withLock { $0.head } }

    /// Appends one record and fsyncs it (and every record before it). `fields` are event-specific
    /// members (strings, numbers, arrays).
    public func record(_ event: String, _ fields: [(String, JSONValue)] = []) throws(SystemError) {
        try record(event, fields, sync: true)
    }

    /// Appends one record without waiting for the disk: the next ``record(_:_:)`` or ``sync()``
    /// makes it durable. Only for what came of an act already taken, whose intent is durable.
    public func recordBeforeNextSync(_ event: String, _ fields: [(String, JSONValue)] = []) throws(SystemError) {
        try record(event, fields, sync: false)
    }

    /// Appends an intent ahead of another act's intent, without waiting for the disk
    /// (``AnnouncedIntent``): its act may happen only once ``durableHead`` reaches the returned
    /// sequence number, which the next ``record(_:_:)`` brings about.
    func recordAhead(_ event: String, _ fields: [(String, JSONValue)]) throws(SystemError) -> UInt64 {
        try record(event, fields, sync: false)
    }

    /// Whether the log still takes records: no failed fsync or rotation closed it (``closeWriter(_:_:)``).
    var isOpen: Bool { state.withLock { $0.failure == nil } }

    /// Whether records were appended after the last fsync.
    var hasUnsyncedRecords: Bool { state.withLock { !$0.unsynced.isEmpty } }

    /// The last record on disk (what the front sends off the amphora as the anchor).
    public var durableHead: AuditHead { state.withLock { $0.durableHead } }

    /// Makes every record appended so far durable (nothing to do when the last one was fsynced).
    public func sync() throws(SystemError) {
        try state.withLock { state throws(SystemError) in try syncIfNeeded(&state) }
    }

    /// Appends one record (and fsyncs it when `sync`); returns its sequence number.
    @discardableResult
    func record(_ event: String, _ fields: [(String, JSONValue)], sync: Bool) throws(SystemError) -> UInt64 {
        try state.withLock { state throws(SystemError) -> UInt64 in
            if state.keyUnsaved { retryKeySave(&state) }
            try append(&state, event, fields, sync: sync)
            let sequence = state.head.sequence
            if state.recordsInEpoch >= settings.epochRecords { try? endEpoch(&state) }
            return sequence
        }
    }

    func syncIfNeeded(_ state: inout WriterState) throws(SystemError) {
        if let failure = state.failure { throw failure }
        guard !state.unsynced.isEmpty else { return }
        do {
            try fsyncFile(state)
        } catch {
            closeWriter(&state, error)
            throw error
        }
        becameDurable(&state)
    }

    func fsyncFile(_ state: WriterState) throws(SystemError) {
        try settings.syncStep?()
        try retryingSyscall("fsync", subject: path) { fsync(state.fd) }
    }

    /// After a failed fsync with records waiting (the kernel reports a lost write-back only once,
    /// so a later fsync could succeed over a hole in the chain) or a rotation that failed half-way:
    /// every later record, sync and rotation fails with `error` (fail closed) until the helper
    /// restarts; the waiting records never go to syslog.
    func closeWriter(_ state: inout WriterState, _ error: SystemError) {
        if state.fd >= 0 { close(state.fd) }
        state.fd = -1
        state.unsynced = []
        state.failure = SystemError("audit log closed: \(error)", errno: EIO, subject: path)
    }

    /// Everything written is on disk: forwards the records that waited, moves the durable head.
    func becameDurable(_ state: inout WriterState) {
        for line in state.unsynced { settings.forward?.send(level: .info, text: String(decoding: line.dropLast(), as: UTF8.self)) }
        state.unsynced = []
        state.durableHead = state.head
    }

    /// Ends the epoch when ``AuditLogSettings/epochSeconds`` passed since its first record (the helper
    /// calls it periodically, so that a quiet log's last records do not stay under a live key).
    /// Also makes records appended with ``recordBeforeNextSync(_:_:)`` durable, should any be left.
    public func sealIfDue(now: UInt64 = monotonicSeconds()) {
        state.withLock { state in
            try? syncIfNeeded(&state)
            if state.keyUnsaved { retryKeySave(&state) }
            guard let started = state.epochStarted, now >= started + UInt64(settings.epochSeconds) else { return }
            try? endEpoch(&state)
        }
    }

    /// Writes ``AuditRecord/epochEndEvent`` with this epoch's key, then evolves the key and stores it.
    func endEpoch(_ state: inout WriterState) throws(SystemError) {
        try append(&state, AuditRecord.epochEndEvent, [("records", .number(String(state.recordsInEpoch)))], counts: false)
        state.key.evolve()
        state.recordsInEpoch = 0
        state.epochStarted = nil
        do {
            try saveKey(state.key)
        } catch {
            // The key file still holds the previous epoch's key, which can seal the epoch just closed:
            // say so in the log (sealed with the new key) and retry before every later record. A
            // restart before a retry succeeds makes a new seed (`audit-seal-reset`).
            state.keyUnsaved = true
            try append(&state, Self.sealSaveFailedEvent, [("key_epoch", .number(String(state.key.epoch))), ("error", .string("\(error)"))], counts: false)
        }
    }

    /// Stores the evolved key again after a failure (see ``endEpoch(_:)``).
    func retryKeySave(_ state: inout WriterState) {
        guard (try? saveKey(state.key)) != nil else { return }
        state.keyUnsaved = false
    }

    func saveKey(_ key: AuditSealKey) throws(SystemError) {
        try settings.keySaveStep?()
        try keyStore.save(key)
    }

    func append(
        _ state: inout WriterState, _ event: String, _ fields: [(String, JSONValue)], counts: Bool = true, sync: Bool = true
    ) throws(SystemError) {
        if let failure = state.failure { throw failure }
        // Never reached by real use; checked so that the chain never wraps (the start-up refuses such a log).
        guard state.head.sequence < Self.lastUsableSequence else {
            throw SystemError("audit log sequence numbers exhausted", errno: EOVERFLOW, subject: path)
        }
        var (line, hash) = Self.line(state, event, fields)
        if state.size > 0, state.size + Int64(line.count) > Int64(settings.maxBytes) {
            try rotate(&state)
            (line, hash) = Self.line(state, event, fields)
        }
        try write(&state, line, hash: hash, event: event, sync: sync)
        if counts {
            state.recordsInEpoch += 1
            if state.epochStarted == nil { state.epochStarted = monotonicSeconds() }
        }
    }

    static func line(_ state: WriterState, _ event: String, _ fields: [(String, JSONValue)]) -> ([UInt8], String) {
        let members: [(String, JSONValue)] = [
            ("seq", .number(String(state.head.sequence + 1))),
            ("time", .string(utcTimestamp())),
            ("prev", .string(state.head.hash)),
            ("epoch", .number(String(state.key.epoch))),
            ("event", .string(event)),
        ] + fields
        return AuditRecord.line(members, key: state.key)
    }

    func write(_ state: inout WriterState, _ line: [UInt8], hash: String, event: String, sync: Bool = true) throws(SystemError) {
        var written = false
        do {
            try writeAll(state.fd, line)
            written = true
            if sync { try fsyncFile(state) }
        } catch {
            // A partial line must not stay under the next record: cut back to the last complete one.
            _ = ftruncate(state.fd, off_t(state.size))
            if written, !state.unsynced.isEmpty { closeWriter(&state, error) }
            throw error
        }
        state.size += Int64(line.count)
        state.head = AuditHead(sequence: state.head.sequence + 1, hash: hash, epoch: state.key.epoch)
        state.lastEvent = event
        state.unsynced.append(line)
        if sync { becameDurable(&state) }
    }

    /// Steps 1-4 of a rotation (see the type's documentation).
    func rotate(_ state: inout WriterState) throws(SystemError) {
        // The file is closed below: what it holds must be on disk first.
        try syncIfNeeded(&state)
        try settings.rotationStep?(.beforeRename)
        let previous = AuditLogFile.rotatedName(logName: logName, lastSequence: state.head.sequence)
        // From the rename until the new file holds its continuation record, a failure closes the
        // writer for good (every record fails until a restart repairs the set): its descriptor
        // could name the renamed file, or a new file without a continuation record.
        do throws(SystemError) {
            try directory.rename(logName, to: previous)
            try settings.rotationStep?(.afterRename)
            close(state.fd)
            state.fd = -1
            state.size = 0
            state.fd = try retryingSyscall("create", subject: path) {
                cshim_open_beneath(directory.fd, logName, O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            }
            try retryingSyscall("fsync", subject: directory.path) { fsync(directory.fd) }
            try settings.rotationStep?(.afterCreate)
            let (line, hash) = Self.line(state, AuditRecord.continuationEvent, [
                ("previous_file", .string(previous)), ("previous_seq", .number(String(state.head.sequence))),
                ("previous_hash", .string(state.head.hash)),
            ])
            try write(&state, line, hash: hash, event: AuditRecord.continuationEvent)
        } catch {
            closeWriter(&state, error)
            throw error
        }
        state.recordsInEpoch += 1
        if state.epochStarted == nil { state.epochStarted = monotonicSeconds() }
        try settings.rotationStep?(.afterContinuation)
        let rotated = AuditLogFile.rotatedFiles(try directory.entries(), logName: logName)
        let pruned = Array(rotated.dropLast(settings.keepFiles))
        // Fail closed: a file goes only once its record is on disk (a failure here refuses the record
        // that caused the rotation; the file stays and is pruned, and recorded again, at the next one).
        for name in pruned {
            let fields = Self.pruneFields(ofFile: name, in: directory.path)
            let (line, hash) = Self.line(state, AuditRecord.pruneEvent, fields)
            try write(&state, line, hash: hash, event: AuditRecord.pruneEvent)
            state.recordsInEpoch += 1
        }
        try settings.rotationStep?(.afterPruneRecords)
        for name in pruned { try directory.remove(name) }
        try settings.rotationStep?(.afterPrune)
    }

    /// The members of an ``AuditRecord/pruneEvent`` record for the rotated file `name`: the file, its
    /// first and last sequence and its last record's hash (what the next file's first record links to).
    /// A file that cannot be read is named with the `error` instead (it is still pruned: refusing
    /// every rotation for it would stop the helper; a set that starts after it does not verify).
    static func pruneFields(ofFile name: String, in directoryPath: String) -> [(String, JSONValue)] {
        let path = directoryPath + "/" + name
        var first: UInt64?
        let last: AuditHead
        // Only a regular file is read (opened non-blocking as well): a FIFO planted under a rotated
        // name would otherwise block the rotation, and every record after it, for good.
        var st = stat()
        guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            return [("file", .string(name)), ("error", .string("not a regular file"))]
        }
        do {
            try AuditLogFile.forEachLine(path) { line, _ in
                if case .complete(let bytes) = line { first = AuditRecord.parse(bytes)?.sequence }
                return false
            }
            (last, _) = try lastRecord(ofFile: path)
        } catch {
            return [("file", .string(name)), ("error", .string("\(error)"))]
        }
        var fields: [(String, JSONValue)] = [("file", .string(name))]
        // A first line that is not a record (a file damaged before its pruning) leaves only the end named.
        if let first { fields.append(("first_seq", .number(String(first)))) }
        fields += [("last_seq", .number(String(last.sequence))), ("last_hash", .string(last.hash))]
        return fields
    }
}
