import Foundation
@testable import Helper
import AgentLogging
import Glibc
import LinuxSystem
import IPCProtocol
import Testing

/// A scratch directory for one audit log; removed at the end.
final class AuditScratch {
    let directory: String
    var log: String { directory + "/audit.jsonl" }
    var seedPath: String { log + ".seed" }
    var statePath: String { log + ".seal" }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    func lines(_ path: String? = nil) throws -> [String] {
        try String(contentsOfFile: path ?? log, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func seed() throws -> AuditSealKey { try key(seedPath) }

    func key(_ path: String) throws -> AuditSealKey {
        let contents = try #require(FileManager.default.contents(atPath: path))
        return try #require(AuditSealKey.parse(Array(contents)))
    }

    /// Verifies `lines` as one file.
    func verify(_ lines: [String], keys: [AuditSealKey] = [], anchor: AuditChainVerifier.Link? = nil)
        -> Result<AuditChainVerifier.Summary, AuditChainVerifier.Problem>
    {
        let verifier = AuditChainVerifier(keys: keys, anchor: anchor)
        for (index, line) in lines.enumerated() { verifier.check(.complete(Array(line.utf8)), file: "log", number: index + 1) }
        return verifier.finish()
    }

    /// Verifies the files of the directory's set, streaming.
    func verifySet(keys: [AuditSealKey], anchor: AuditChainVerifier.Link? = nil) throws
        -> Result<AuditChainVerifier.Summary, AuditChainVerifier.Problem>
    {
        let verifier = AuditChainVerifier(keys: keys, anchor: anchor)
        for file in try AuditLogFile.expand([directory]) {
            try AuditLogFile.forEachLine(file) { line, number in verifier.check(line, file: file, number: number) }
        }
        return verifier.finish()
    }
}

/// The line number of a failure, or nil when the log verified.
func brokenLine(_ result: Result<AuditChainVerifier.Summary, AuditChainVerifier.Problem>) -> Int? {
    if case .failure(let problem) = result { return problem.line }
    return nil
}

/// Records as the version before sealing wrote them (no epoch, no seal), chained from `first`.
func unsealedLines(count: Int, first: UInt64 = 1, prev start: String = AuditRecord.genesisHash) -> [String] {
    var lines: [String] = []
    var prev = start
    for offset in 0..<UInt64(count) {
        let body = #"{"seq":\#(first + offset),"time":"2026-01-01T00:00:00.000Z","prev":"\#(prev)","event":"old"}"#
        let hash = Digest.sha256Hex(Array(body.utf8))
        lines.append(String(body.dropLast()) + #","hash":"\#(hash)"}"#)
        prev = hash
    }
    return lines
}

func brokenReason(_ result: Result<AuditChainVerifier.Summary, AuditChainVerifier.Problem>) -> String {
    if case .failure(let problem) = result { return problem.reason }
    return ""
}

@Suite("Audit log")
struct AuditLogTests {
    @Test("records chain and seal, survive reopening, and verify with the exported seed")
    func chain() throws {
        let scratch = try AuditScratch()
        do {
            let log = try AuditLog(path: scratch.log)
            try log.record("one", [("argv", .array([.string("ip"), .string("-j")]))])
            try log.record("two")
        }
        let reopened = try AuditLog(path: scratch.log)
        try reopened.record("three")
        let lines = try scratch.lines()
        #expect(lines.count == 4)  // audit-seal-init, one, two, three
        #expect(lines[0].contains(#""event":"audit-seal-init""#))
        let seed = try scratch.seed()
        guard case .success(let summary) = scratch.verify(lines, keys: [seed]) else {
            Issue.record("does not verify: \(scratch.verify(lines, keys: [seed]))")
            return
        }
        #expect(summary.records == 4)
        #expect(summary.sealsChecked)
        #expect(summary.head == reopened.head)
        for (path, expected) in [(scratch.log, 0o600), (scratch.statePath, 0o600), (scratch.seedPath, 0o400)] {
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
            #expect(mode == expected, "\(path)")
        }
        // The key itself is never in the log.
        let state = try String(contentsOfFile: scratch.statePath, encoding: .utf8)
        let keyHex = try #require(state.split(separator: "\n").first { $0.hasPrefix("key ") }).dropFirst(4)
        #expect(!lines.joined().contains(String(keyHex)))
    }

    @Test("an outcome appended before the next sync is in the file at once, is fsynced by the next intent, a sync or a rotation, and chains like any record")
    func outcomesBeforeNextSync() throws {
        let scratch = try AuditScratch()
        let log = try AuditLog(path: scratch.log, settings: AuditLogSettings(maxBytes: 2_048, keepFiles: 10, epochRecords: 5))
        #expect(!log.hasUnsyncedRecords)
        try log.record("exec-intent")
        try log.recordBeforeNextSync("exec-outcome", [("exit_code", .number("0"))])
        #expect(log.hasUnsyncedRecords)
        // Readers (audit-show, the auditor) see it before it is durable.
        #expect(try scratch.lines().last?.contains(#""event":"exec-outcome""#) == true)
        try log.record("file-intent")
        #expect(!log.hasUnsyncedRecords)
        try log.recordBeforeNextSync("file-outcome")
        try log.sync()
        #expect(!log.hasUnsyncedRecords)
        try log.sync()  // nothing left: no fsync, no record
        // Many outcomes in a row: epoch ends (every 5 records, fsynced) and rotations (2 KiB) come between them.
        for i in 1...40 {
            try log.recordBeforeNextSync("outcome-\(i)", [("pad", .string(String(repeating: "o", count: 60)))])
        }
        let anchor = AuditChainVerifier.Link(sequence: log.head.sequence, hash: log.head.hash)
        guard case .success(let summary) = try scratch.verifySet(keys: [try scratch.seed()], anchor: anchor) else {
            Issue.record("does not verify: \(try scratch.verifySet(keys: [try scratch.seed()], anchor: anchor))")
            return
        }
        #expect(summary.head == log.head)
        // The periodic seal check syncs what is left.
        try log.recordBeforeNextSync("last-outcome")
        log.sealIfDue()
        #expect(!log.hasUnsyncedRecords)
    }

    @Test("a failed fsync while outcomes wait closes the writer: every later record fails, the durable head stays, a restart continues the chain")
    func failedSyncWithOutcomesWaiting() throws {
        let scratch = try AuditScratch()
        let failing = LockedValue(false)
        // Small files and epochs: a rotation or an epoch end must not reopen a closed writer.
        let settings = AuditLogSettings(
            maxBytes: 1_500, keepFiles: 10, epochRecords: 50, epochSeconds: 1,
            syncStep: { () throws(SystemError) in
                if failing.withLock({ $0 }) { throw SystemError("fsync", errno: EIO, subject: "test") }
            })
        do {
            let log = try AuditLog(path: scratch.log, settings: settings)
            try log.record("exec-intent")
            let durable = log.durableHead
            try log.recordBeforeNextSync("exec-outcome")
            #expect(log.durableHead == durable)
            #expect(log.head.sequence == durable.sequence + 1)
            failing.withLock { $0 = true }
            #expect(throws: SystemError.self) { try log.record("file-intent") }
            failing.withLock { $0 = false }
            // The kernel reports a lost write-back once: a later fsync succeeding proves nothing, so
            // nothing more is written by this writer.
            #expect(throws: SystemError.self) { try log.record("file-intent") }
            #expect(throws: SystemError.self) { try log.recordBeforeNextSync("file-outcome") }
            #expect(throws: SystemError.self) { try log.sync() }
            log.sealIfDue(now: monotonicSeconds() + 10)
            for _ in 0..<10 {
                #expect(throws: SystemError.self) { try log.record("file-intent", [("pad", .string(String(repeating: "p", count: 400)))]) }
            }
            #expect(AuditLogFile.rotatedFiles(try FileManager.default.contentsOfDirectory(atPath: scratch.directory), logName: "audit.jsonl").isEmpty)
            #expect(log.durableHead == durable)
            // The refused intent is not in the file; the outcome before it is (the page cache kept it).
            let lines = try scratch.lines()
            #expect(lines.last?.contains(#""event":"exec-outcome""#) == true)
            #expect(!lines.joined().contains("file-intent"))
        }
        // A failed fsync with nothing waiting refuses only its own record, as before.
        let reopened = try AuditLog(path: scratch.log, settings: settings)
        failing.withLock { $0 = true }
        #expect(throws: SystemError.self) { try reopened.record("file-intent") }
        failing.withLock { $0 = false }
        try reopened.record("file-intent")
        let lines = try scratch.lines()
        #expect(scratch.verify(lines, keys: [try scratch.seed()]).map(\.head) == .success(reopened.head))
    }

    @Test("an edited, removed or reordered record is reported at its line, with or without the key")
    func tampering() throws {
        let scratch = try AuditScratch()
        let log = try AuditLog(path: scratch.log)
        for i in 1...5 { try log.record("event-\(i)") }
        let lines = try scratch.lines()
        let seed = try scratch.seed()
        for keys in [[], [seed]] {
            var edited = lines
            edited[2] = edited[2].replacingOccurrences(of: "event-2", with: "event-X")
            #expect(brokenLine(scratch.verify(edited, keys: keys)) == 3)
            #expect(brokenReason(scratch.verify(edited, keys: keys)) == "record was edited: its hash does not match its content")

            var removed = lines
            removed.remove(at: 3)
            #expect(brokenLine(scratch.verify(removed, keys: keys)) == 4)

            var swapped = lines
            swapped.swapAt(2, 3)
            #expect(brokenLine(scratch.verify(swapped, keys: keys)) == 3)

            #expect(brokenLine(scratch.verify(lines + ["not json"], keys: keys)) == 7)
        }
        // Cutting the tail is invisible to the chain alone...
        let cut = Array(lines.prefix(4))
        #expect(brokenLine(scratch.verify(cut, keys: [seed])) == nil)
        // ...but not to an anchor the controller holds (the head a heartbeat carried).
        let anchor = AuditChainVerifier.Link(sequence: log.head.sequence, hash: log.head.hash)
        #expect(brokenLine(scratch.verify(lines, keys: [seed], anchor: anchor)) == nil)
        #expect(brokenReason(scratch.verify(cut, keys: [seed], anchor: anchor)).contains("truncated"))
        #expect(brokenReason(scratch.verify([], anchor: anchor)).contains("truncated"))
        // A rewritten record at the anchor's place is found even with a consistent chain.
        let other = AuditChainVerifier.Link(sequence: anchor.sequence, hash: String(repeating: "a", count: 64))
        #expect(brokenReason(scratch.verify(lines, anchor: other)).contains("not the anchored one"))
    }

    @Test("a chain recomputed with only the amphora's current key is found by the seed")
    func recomputedWithoutSealingKey() throws {
        let scratch = try AuditScratch()
        let log = try AuditLog(path: scratch.log, settings: AuditLogSettings(epochRecords: 3))
        for i in 1...10 { try log.record("event-\(i)", [("argv", .array([.string("/usr/sbin/ip"), .string("link")]))]) }
        let lines = try scratch.lines()
        let seed = try scratch.seed()
        #expect(brokenLine(scratch.verify(lines, keys: [seed])) == nil)
        // The attacker is root now: it has the key file (the current epoch's key) but not the seed.
        let stolen = try scratch.key(scratch.statePath)
        #expect(stolen.epoch >= 3)
        #expect(lines.contains { $0.contains(#""event":"audit-epoch-end""#) })

        /// Rewrites from line `from` on: `edit` changes members; every hash, link and seal recomputed with `key`.
        func rewrite(_ lines: [String], from: Int, key: AuditSealKey, edit: ([(String, JSONValue)]) -> [(String, JSONValue)]) throws -> [String] {
            var out = Array(lines.prefix(from))
            var prev = AuditRecord.parse(Array(lines[from - 1].utf8))?.hash ?? AuditRecord.genesisHash
            for line in lines.dropFirst(from) {
                let record = try #require(AuditRecord.parse(Array(line.utf8)))
                var members = Array(record.members.dropLast(2))  // hash, seal
                members[2] = ("prev", .string(prev))
                members = edit(members)
                let (bytes, hash) = AuditRecord.line(members, key: key)
                out.append(String(decoding: bytes.dropLast(), as: UTF8.self))
                prev = hash
            }
            return out
        }
        // Record 2 edited, everything after it recomputed, epochs kept: the hashes and links are perfect...
        let relabelled = try rewrite(lines, from: 1, key: stolen) { members in
            var changed = members
            for index in changed.indices where changed[index].0 == "event" && changed[index].1 == .string("event-1") {
                changed[index].1 = .string("nothing-happened")
            }
            return changed
        }
        #expect(brokenLine(scratch.verify(relabelled)) == nil)
        // ...but the seals of the epochs before the stolen key's are not the log's.
        #expect(brokenLine(scratch.verify(relabelled, keys: [seed])) == 2)
        #expect(brokenReason(scratch.verify(relabelled, keys: [seed])).contains("seal does not verify"))
        // Claiming the stolen key's epoch for the rewritten records breaks the epoch structure instead.
        let moved = try rewrite(lines, from: 1, key: stolen) { members in
            var changed = members
            for index in changed.indices where changed[index].0 == "epoch" { changed[index].1 = .number(String(stolen.epoch)) }
            return changed
        }
        #expect(brokenLine(scratch.verify(moved)) == 2)
        #expect(brokenLine(scratch.verify(moved, keys: [seed])) == 2)
        // A stolen key cannot seal even its own epoch's predecessor: the previous epoch's key is gone.
        let previousEpoch = try #require(AuditRecord.parse(Array(lines[1].utf8)))
        #expect(previousEpoch.epoch == 0)
        #expect(stolen.seal(previousEpoch.hash) != previousEpoch.seal)
    }

    @Test("epochs evolve on count and on time; a lost key file restarts the seal chain visibly")
    func epochsAndReset() throws {
        let scratch = try AuditScratch()
        do {
            let log = try AuditLog(path: scratch.log, settings: AuditLogSettings(epochRecords: 1000, epochSeconds: 60))
            try log.record("one")
            log.sealIfDue(now: monotonicSeconds())  // not yet due
            #expect(log.head.epoch == 0)
            log.sealIfDue(now: monotonicSeconds() + 61)
            try log.record("two")
            #expect(log.head.epoch == 1)
        }
        let firstSeed = try scratch.seed()
        try FileManager.default.removeItem(atPath: scratch.statePath)
        try FileManager.default.removeItem(atPath: scratch.seedPath)
        let log = try AuditLog(path: scratch.log)
        try log.record("three")
        let lines = try scratch.lines()
        #expect(lines.contains { $0.contains(#""event":"audit-seal-reset""#) && $0.contains("no key file") })
        let secondSeed = try scratch.seed()
        #expect(brokenLine(scratch.verify(lines)) == nil)
        #expect(brokenReason(scratch.verify(lines, keys: [firstSeed])).contains("sealing key was reset"))
        #expect(brokenLine(scratch.verify(lines, keys: [firstSeed, secondSeed])) == nil)
    }

    @Test("audit-init makes the key before the first start and exports the seed once; the log names its fingerprint")
    func auditInit() throws {
        let scratch = try AuditScratch()
        let config = scratch.directory + "/agent.conf"
        try "[amphora_agent]\namphora_id = 7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b\n[privsep]\naudit_log = \(scratch.log)\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let export = scratch.directory + "/exported.key"
        #expect(HelperMain.initializeAuditSeal(configPath: config, exportPath: export) == 0)
        #expect(HelperMain.initializeAuditSeal(configPath: config, exportPath: export + "2") == 1)  // once only
        #expect(!FileManager.default.fileExists(atPath: export + "2"))
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: export)[.posixPermissions] as? Int)
        #expect(mode == 0o400)
        let seed = try scratch.key(export)
        let log = try AuditLog(path: scratch.log)
        try log.record("one")
        let lines = try scratch.lines()
        #expect(lines[0].contains(#""event":"audit-seal-init""#) && lines[0].contains(seed.fingerprint()))
        #expect(!FileManager.default.fileExists(atPath: scratch.seedPath))
        #expect(brokenLine(scratch.verify(lines, keys: [seed])) == nil)
    }

    @Test("an evolved key replaces the key file and the replaced file's content is zeroed")
    func oldKeyErased() throws {
        let scratch = try AuditScratch()
        let log = try AuditLog(path: scratch.log, settings: AuditLogSettings(epochRecords: 2))
        let before = try scratch.key(scratch.statePath)
        // Hold the epoch's key file open, as an attacker who kept a descriptor (or the disk blocks) would.
        let held = open(scratch.statePath, O_RDONLY)
        #expect(held >= 0)
        defer { close(held) }
        try log.record("one")  // with audit-seal-init: two records, the epoch ends
        let after = try scratch.key(scratch.statePath)
        #expect(after.epoch == before.epoch + 1)
        var buffer = [UInt8](repeating: 0xFF, count: 4096)
        let count = buffer.withUnsafeMutableBytes { pread(held, $0.baseAddress, $0.count, 0) }
        #expect(count > 0)
        #expect(buffer.prefix(count).allSatisfy { $0 == 0 }, "the previous epoch's key file still holds its text")
        before.evolve()
        #expect(before.seal(log.head.hash) == after.seal(log.head.hash))
    }

    @Test("an evolved key that cannot be stored is recorded and stored again before the next record")
    func keySaveFailure() throws {
        let scratch = try AuditScratch()
        let failing = scratch.directory + "/fail-key-save"
        #expect(FileManager.default.createFile(atPath: failing, contents: Data()))
        let settings = AuditLogSettings(epochRecords: 2, keySaveStep: { () throws(SystemError) in
            if access(failing, F_OK) == 0 { throw SystemError("injected save failure", errno: ENOSPC, subject: "key") }
        })
        let log = try AuditLog(path: scratch.log, settings: settings)
        try log.record("one")  // with audit-seal-init: two records, the epoch ends, the key is not stored
        #expect(try scratch.key(scratch.statePath).epoch == 0)
        let lastLine = try #require(try scratch.lines().last)
        let failed = try #require(AuditRecord.parse(Array(lastLine.utf8)))
        #expect(failed.event == AuditLog.sealSaveFailedEvent)
        #expect(failed.epoch == 1)
        #expect(failed.member("key_epoch") == .number("1"))
        #expect(failed.member("error") == .string("\(SystemError("injected save failure", errno: ENOSPC, subject: "key"))"))
        try log.record("two")  // still failing: retried, not recorded again
        #expect(try scratch.key(scratch.statePath).epoch == 0)
        try FileManager.default.removeItem(atPath: failing)
        log.sealIfDue(now: 0)  // not due, but the store is retried first
        #expect(try scratch.key(scratch.statePath).epoch == 1)
        #expect(log.head.epoch == 1)
        try log.record("three")
        let lines = try scratch.lines()
        #expect(lines.filter { $0.contains(AuditLog.sealSaveFailedEvent) }.count == 1)
        #expect(brokenLine(scratch.verify(lines, keys: [try scratch.seed()])) == nil)
    }

    @Test("a crash mid-write leaves an unterminated line: cut off and recorded at the next start")
    func tornTail() throws {
        let scratch = try AuditScratch()
        do {
            let log = try AuditLog(path: scratch.log)
            try log.record("one")
        }
        let handle = try #require(FileHandle(forWritingAtPath: scratch.log))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"seq":3,"time":"2026-"#.utf8))
        try handle.close()
        let log = try AuditLog(path: scratch.log)
        try log.record("two")
        let lines = try scratch.lines()
        #expect(lines.contains { $0.contains(#""event":"audit-torn-tail""#) && $0.contains(#""bytes":22"#) })
        #expect(brokenLine(scratch.verify(lines, keys: [try scratch.seed()])) == nil)
    }

    @Test("every record also goes to syslog, tagged amphora-audit, as written")
    func forwarding() throws {
        let scratch = try AuditScratch()
        let socketPath = scratch.directory + "/log.sock"
        let receiver = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        #expect(receiver >= 0)
        defer { close(receiver) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in socketPath.utf8.enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(receiver, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(receiver, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let sink = SyslogSink(path: socketPath, facility: 17, ident: "amphora-audit")
        let log = try AuditLog(path: scratch.log, settings: AuditLogSettings(forward: sink))
        try log.record("exec-intent", [("argv", .array([.string("/usr/sbin/ip")]))])
        var received: [String] = []
        var buffer = [UInt8](repeating: 0, count: 9000)
        for _ in 0..<2 {
            let count = buffer.withUnsafeMutableBytes { recv(receiver, $0.baseAddress, $0.count, 0) }
            if count > 0 { received.append(String(decoding: buffer[0..<count], as: UTF8.self)) }
        }
        // An outcome waiting for the next fsync is not forwarded yet: syslog never holds a record
        // that a power loss could still take from the file.
        try log.recordBeforeNextSync("exec-outcome", [("exit_code", .number("0"))])
        let early = buffer.withUnsafeMutableBytes { recv(receiver, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        #expect(early < 0)
        try log.sync()
        let count = buffer.withUnsafeMutableBytes { recv(receiver, $0.baseAddress, $0.count, 0) }
        if count > 0 { received.append(String(decoding: buffer[0..<count], as: UTF8.self)) }
        let lines = try scratch.lines()
        #expect(received.count == 3)
        #expect(lines.count == 3)
        for (datagram, line) in zip(received, lines) {
            #expect(datagram.hasPrefix("<142>"))  // local1.info
            #expect(datagram.contains(" amphora-audit[\(getpid())]: "))
            #expect(datagram.hasSuffix(line))
        }
    }

    @Test("a log from before sealing continues sealed: its records are kept, the new ones verify")
    func upgradeFromUnsealed() throws {
        let scratch = try AuditScratch()
        // Two records as the previous version wrote them (no epoch, no seal).
        try unsealedLines(count: 2).map { $0 + "\n" }.joined().write(toFile: scratch.log, atomically: false, encoding: .utf8)
        let log = try AuditLog(path: scratch.log)
        try log.record("new")
        let lines = try scratch.lines()
        #expect(lines.count == 4)
        #expect(lines[2].contains(#""event":"audit-seal-init""#))
        #expect(brokenLine(scratch.verify(lines)) == nil)
        // With the key: the old records are an unsealed prefix, protected by the first sealed record's link.
        let seed = try scratch.seed()
        guard case .success(let summary) = scratch.verify(lines, keys: [seed]) else {
            Issue.record("does not verify: \(scratch.verify(lines, keys: [seed]))")
            return
        }
        #expect(summary.unsealedRecords == 2)
        var edited = lines
        edited[0] = edited[0].replacingOccurrences(of: #""event":"old""#, with: #""event":"odd""#)
        #expect(brokenLine(scratch.verify(edited, keys: [seed])) == 1)
        // An unsealed record after sealed ones, or a log with no sealed record, does not pass.
        #expect(brokenReason(scratch.verify(Array(lines.prefix(2)), keys: [seed])) == "no record is sealed")
    }

    @Test("a log rewritten as an unsealed prefix plus records sealed with the stolen current key does not verify")
    func unsealedPrefixWithStolenKey() throws {
        let scratch = try AuditScratch()
        let log = try AuditLog(path: scratch.log, settings: AuditLogSettings(epochRecords: 3))
        for i in 1...10 { try log.record("event-\(i)") }
        let seed = try scratch.seed()
        #expect(brokenLine(scratch.verify(try scratch.lines(), keys: [seed])) == nil)
        let stolen = try scratch.key(scratch.statePath)
        #expect(stolen.epoch > 0)
        // Two "records from before sealing", then one sealed with the stolen key in its own epoch.
        var forged = unsealedLines(count: 2)
        let prev = try #require(AuditRecord.parse(Array(forged[1].utf8))).hash
        let sealed: [(String, JSONValue)] = [
            ("seq", .number("3")), ("time", .string("2026-01-01T00:00:01.000Z")), ("prev", .string(prev)),
            ("epoch", .number(String(stolen.epoch))), ("event", .string("nothing-happened")),
        ]
        forged.append(String(decoding: AuditRecord.line(sealed, key: stolen).0.dropLast(), as: UTF8.self))
        #expect(brokenLine(scratch.verify(forged, keys: [seed])) == 3)
        #expect(brokenReason(scratch.verify(forged, keys: [seed])).contains("not audit-seal-init or audit-seal-reset in epoch 0"))
        // Nor with a seal start of the attacker's own seed: it names another key than the auditor's.
        let own = AuditSealKey.generate()
        let start: [(String, JSONValue)] = [
            ("seq", .number("3")), ("time", .string("2026-01-01T00:00:01.000Z")), ("prev", .string(prev)),
            ("epoch", .number("0")), ("event", .string(AuditLog.sealInitEvent)), ("fingerprint", .string(own.fingerprint())),
        ]
        let ownStart = Array(forged.prefix(2)) + [String(decoding: AuditRecord.line(start, key: own).0.dropLast(), as: UTF8.self)]
        #expect(brokenLine(scratch.verify(ownStart)) == nil)  // the chain alone cannot tell
        #expect(brokenReason(scratch.verify(ownStart, keys: [seed])).contains("names another key"))
        // The same for a log sealed from record 1: its first record must be the seed's own.
        let first: [(String, JSONValue)] = [
            ("seq", .number("1")), ("time", .string("2026-01-01T00:00:01.000Z")), ("prev", .string(AuditRecord.genesisHash)),
            ("epoch", .number("0")), ("event", .string("nothing-happened")),
        ]
        let plain = [String(decoding: AuditRecord.line(first, key: seed.copy()).0.dropLast(), as: UTF8.self)]
        #expect(brokenReason(scratch.verify(plain, keys: [seed])).contains("first record is nothing-happened"))
    }

    @Test("a set that starts mid-chain with no recorded prune fails, with or without key and anchor, unless the previous head is given")
    func midChainNeedsAnchor() throws {
        let scratch = try AuditScratch()
        let log = try AuditLog(path: scratch.log, settings: AuditLogSettings(epochRecords: 3))
        for i in 1...10 { try log.record("event-\(i)") }
        let lines = try scratch.lines()
        let seed = try scratch.seed()
        let tail = Array(lines.dropFirst(4))
        #expect(brokenReason(scratch.verify(tail, keys: [seed])).contains("older files not given"))
        // Records cut from the start without an audit-prune record: refused, even keyless or anchored.
        #expect(brokenReason(scratch.verify(tail)).contains("no audit-prune record"))
        let anchor = AuditChainVerifier.Link(sequence: log.head.sequence, hash: log.head.hash)
        #expect(brokenReason(scratch.verify(tail, keys: [seed], anchor: anchor)).contains("no audit-prune record"))
        let before = try #require(AuditRecord.parse(Array(lines[3].utf8)))
        let verifier = AuditChainVerifier(keys: [seed], after: AuditChainVerifier.Link(sequence: before.sequence, hash: before.hash))
        for (index, line) in tail.enumerated() { verifier.check(.complete(Array(line.utf8)), file: "log", number: index + 1) }
        #expect(brokenLine(verifier.finish()) == nil)
    }

    @Test("crafted sequence numbers and epochs at their limits are reported as broken, never trap or hang")
    func craftedLimits() throws {
        let scratch = try AuditScratch()
        let last = unsealedLines(count: 1, first: UInt64.max)
        let lastHash = try #require(AuditRecord.parse(Array(last[0].utf8))).hash
        let wrapped = last + unsealedLines(count: 1, first: 0, prev: lastHash)
        #expect(brokenLine(scratch.verify(wrapped)) == 2)
        #expect(brokenReason(scratch.verify(wrapped)).contains("last sequence number"))
        let afterMax = AuditChainVerifier(keys: [], after: AuditChainVerifier.Link(sequence: UInt64.max, hash: String(repeating: "c", count: 64)))
        afterMax.check(.complete(Array(last[0].utf8)), file: "log", number: 1)
        #expect(brokenLine(afterMax.finish()) == 1)

        func sealed(_ seq: UInt64, epoch: UInt64, event: String, prev: String, key: AuditSealKey) -> String {
            let members: [(String, JSONValue)] = [
                ("seq", .number(String(seq))), ("time", .string("2026-01-01T00:00:00.000Z")), ("prev", .string(prev)),
                ("epoch", .number(String(epoch))), ("event", .string(event)),
            ]
            return String(decoding: AuditRecord.line(members, key: key).0.dropLast(), as: UTF8.self)
        }
        // A first record claiming an epoch far beyond the key's: refused at once, not evolved to.
        let key = AuditSealKey.generate()
        for (seq, epoch) in [(UInt64(5_000_000), UInt64(4_000_000)), (UInt64.max, UInt64.max - 1)] {
            let far = [sealed(seq, epoch: epoch, event: "x", prev: AuditRecord.genesisHash, key: key)]
            let verifier = AuditChainVerifier(keys: [key])
            verifier.check(.complete(Array(far[0].utf8)), file: "log", number: 1)
            #expect(brokenReason(verifier.finish()).contains("more than 1000000 epochs"))
        }
        // The end of the last epoch number: whatever follows is broken.
        let end = sealed(7, epoch: UInt64.max, event: AuditRecord.epochEndEvent, prev: AuditRecord.genesisHash, key: key)
        let endHash = try #require(AuditRecord.parse(Array(end.utf8))).hash
        #expect(brokenLine(scratch.verify([end, sealed(8, epoch: 0, event: "x", prev: endHash, key: key)])) == 2)

        // The helper refuses to continue a log whose last record is at the last sequence number.
        try (last[0] + "\n").write(toFile: scratch.log, atomically: false, encoding: .utf8)
        let error = try #require(throws: SystemError.self) { _ = try AuditLog(path: scratch.log) }
        #expect(error.errno == EOVERFLOW)
        #expect("\(error)".contains("cannot be continued"))
        #expect(try scratch.lines() == last)  // left as it was, for the auditor
    }

    @Test("audit-show filters by event, request, program and time")
    func query() throws {
        let scratch = try AuditScratch()
        let log = try AuditLog(path: scratch.log)
        try log.record("exec-intent", [("request", .number("7")), ("argv", .array([.string("/usr/sbin/haproxy"), .string("-c")]))])
        try log.record("exec-intent", [("request_id", .string("req-abc")), ("argv", .array([.string("/usr/sbin/ip")]))])
        let records = try scratch.lines().compactMap { AuditRecord.parse(Array($0.utf8)) }
        #expect(records.filter(AuditQuery(event: "exec-intent").matches).count == 2)
        #expect(records.filter(AuditQuery(requestID: "7").matches).map(\.sequence) == [2])
        #expect(records.filter(AuditQuery(requestID: "req-abc").matches).map(\.sequence) == [3])
        #expect(records.filter(AuditQuery(program: "haproxy").matches).map(\.sequence) == [2])
        #expect(records.filter(AuditQuery(program: "/usr/sbin/ip").matches).map(\.sequence) == [3])
        #expect(records.filter(AuditQuery(since: "2000", until: "2999").matches).count == 3)
        #expect(records.filter(AuditQuery(until: "2000").matches).isEmpty)
        let human = AuditQuery.human(records[1])
        #expect(human.hasPrefix("2 "))
        #expect(human.contains(#"exec-intent request=7 argv=["/usr/sbin/haproxy","-c"]"#))
        #expect(!human.contains("seal"))
    }

    @Test("audit-show's human lines escape everything outside printable ASCII: C0, C1 and bidi controls in every part")
    func humanEscapes() throws {
        let scratch = try AuditScratch()
        let log = try AuditLog(path: scratch.log)
        try log.record("ev\u{9B}31m\u{202E}x", [
            ("na\u{85}me", .string("v\u{202E}al\u{1B}[2J")), ("list", .array([.string("\u{9B}\u{1F600}")])), ("plain", .string("ok")),
        ])
        let record = try #require(AuditRecord.parse(Array(try scratch.lines()[1].utf8)))
        let human = AuditQuery.human(record)
        #expect(human.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }, "\(human.debugDescription)")
        #expect(human.contains(#" "ev\u009b31m\u202ex" "#))
        #expect(human.contains(#" "na\u0085me"="v\u202eal\u001b[2J""#))
        #expect(human.contains(#" list=["\u009b\ud83d\ude00"]"#))
        #expect(human.hasSuffix(" plain=ok"))
    }
}

@Suite("PEM checks")
struct PEMTests {
    static let directory: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pem-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    func read(_ name: String) throws -> String { try String(contentsOfFile: Self.directory + "/" + name, encoding: .utf8) }

    @Test("key and certificate in either order, mismatches, missing parts and expiry")
    func bundles() throws {
        let d = Self.directory
        try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", d + "/a.key", "-out", d + "/a.crt", "-days", "2", "-subj", "/CN=a"])
        try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", d + "/b.key", "-out", d + "/b.crt", "-days", "2", "-subj", "/CN=b"])
        let a = try read("a.crt"), aKey = try read("a.key"), b = try read("b.crt"), bKey = try read("b.key")

        #expect(try CertificateCheck.checkBundle(a + aKey, requireCurrent: true).leafDigest.count == 64)
        #expect(try CertificateCheck.checkBundle(aKey + a + b, requireCurrent: true).certificatesPEM == a + b)
        #expect(try CertificateCheck.checkBundle(b + bKey, requireCurrent: true).privateKeyPEM == bKey)
        #expect(throws: CertificateProblem("Certificate and key do not match")) { try CertificateCheck.checkBundle(a + bKey, requireCurrent: true) }
        #expect(throws: CertificateProblem("No RSA key found")) { try CertificateCheck.checkBundle(a, requireCurrent: true) }
        #expect(throws: CertificateProblem("No certificate found")) { try CertificateCheck.checkBundle(aKey, requireCurrent: true) }
        #expect(throws: CertificateProblem("No certificate found")) { try CertificateCheck.checkBundle("garbage", requireCurrent: true) }
    }
}
