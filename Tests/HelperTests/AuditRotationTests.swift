import Foundation
import IPCProtocol
import LinuxSystem
import Testing

@testable import Helper

@Suite("Audit log rotation")
struct AuditRotationTests {
    static let small = 4096

    /// The `event` members of every record in the set, in order.
    func events(_ scratch: AuditScratch) throws -> [String] {
        var out: [String] = []
        for file in try AuditLogFile.expand([scratch.directory]) {
            try AuditLogFile.forEachLine(file) { line, _ in
                if case .complete(let bytes) = line, let record = AuditRecord.parse(bytes) { out.append(record.event) }
                return true
            }
        }
        return out
    }

    @Test("rotation by size keeps one chain over the set; old files are pruned; each file verifies after its predecessor's head")
    func rotation() throws {
        let scratch = try AuditScratch()
        let log = try AuditLog(path: scratch.log, settings: AuditLogSettings(maxBytes: Self.small, keepFiles: 3, epochRecords: 7))
        for i in 1...120 { try log.record("work-\(i)", [("argv", .array([.string("/usr/sbin/ip"), .string(String(i))]))]) }
        let names = try FileManager.default.contentsOfDirectory(atPath: scratch.directory).sorted()
        let rotated = AuditLogFile.rotatedFiles(names, logName: "audit.jsonl")
        #expect(rotated.count == 3)
        for name in rotated + ["audit.jsonl"] {
            let size = try #require(try FileManager.default.attributesOfItem(atPath: scratch.directory + "/" + name)[.size] as? Int)
            #expect(size <= Self.small, "\(name)")
        }
        // Older files are gone: the set starts mid-chain; with the seed it verifies given the controller's anchor...
        let anchor = AuditChainVerifier.Link(sequence: log.head.sequence, hash: log.head.hash)
        guard case .success(let summary) = try scratch.verifySet(keys: [try scratch.seed()], anchor: anchor) else {
            Issue.record("set does not verify: \(try scratch.verifySet(keys: [try scratch.seed()], anchor: anchor))")
            return
        }
        // ...and without one it says that the seals before its first record cannot be checked.
        #expect(brokenReason(try scratch.verifySet(keys: [try scratch.seed()])).contains("older files not given"))
        #expect(summary.firstSequence > 1)
        #expect(summary.head == log.head)
        // Each new file starts with the continuation naming its predecessor's head.
        let current = try scratch.lines()
        let first = try #require(AuditRecord.parse(Array(current[0].utf8)))
        #expect(first.event == AuditRecord.continuationEvent)
        let predecessor = try #require(rotated.last)
        #expect(first.member("previous_file") == .string(predecessor))
        // One file plus its predecessor's head (the last record of the rotated file).
        let previousLast = try #require(AuditRecord.parse(Array(try scratch.lines(scratch.directory + "/" + predecessor).last?.utf8 ?? "".utf8)))
        #expect(first.member("previous_hash") == .string(previousLast.hash))
        let alone = AuditChainVerifier(
            keys: [try scratch.seed()], after: AuditChainVerifier.Link(sequence: previousLast.sequence, hash: previousLast.hash))
        try AuditLogFile.forEachLine(scratch.log) { line, number in alone.check(line, file: "current", number: number) }
        #expect(brokenLine(alone.finish()) == nil)
        let wrong = AuditChainVerifier(keys: [], after: AuditChainVerifier.Link(sequence: previousLast.sequence, hash: String(repeating: "b", count: 64)))
        try AuditLogFile.forEachLine(scratch.log) { line, number in wrong.check(line, file: "current", number: number) }
        #expect(brokenLine(wrong.finish()) == 1)
        // Deleting a middle file of the set breaks the chain at the next file's first record.
        try FileManager.default.removeItem(atPath: scratch.directory + "/" + rotated[1])
        #expect(brokenLine(try scratch.verifySet(keys: [])) == 1)
    }

    /// The records of `event` in the set, in order.
    func records(_ scratch: AuditScratch, event: String) throws -> [AuditRecord] {
        var out: [AuditRecord] = []
        for file in try AuditLogFile.expand([scratch.directory]) {
            try AuditLogFile.forEachLine(file) { line, _ in
                if case .complete(let bytes) = line, let record = AuditRecord.parse(bytes), record.event == event { out.append(record) }
                return true
            }
        }
        return out
    }

    @Test("every pruned file leaves a sealed audit-prune record, on disk before the file goes; the remaining set verifies after it")
    func pruneIsRecorded() throws {
        let scratch = try AuditScratch()
        let logPath = scratch.log
        let directory = scratch.directory
        let settings = AuditLogSettings(maxBytes: Self.small, keepFiles: 2, epochRecords: 7) { step throws(SystemError) in
            guard step == .afterPruneRecords, let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return }
            // Each file named by this rotation's prune records is still there: the record comes first.
            for line in text.split(separator: "\n").reversed() {
                guard let record = AuditRecord.parse(Array(line.utf8)), record.event == AuditRecord.pruneEvent,
                    case .string(let file)? = record.member("file")
                else { break }
                #expect(FileManager.default.fileExists(atPath: directory + "/" + file), "\(file) removed before its record")
            }
        }
        let log = try AuditLog(path: scratch.log, settings: settings)
        // Each rotated file's first and last sequence, noted while it exists.
        var bounds: [String: (first: UInt64, last: UInt64)] = [:]
        for i in 1...150 {
            try log.record("work-\(i)", [("pad", .string(String(repeating: "p", count: 100)))])
            for name in AuditLogFile.rotatedFiles(try FileManager.default.contentsOfDirectory(atPath: directory), logName: "audit.jsonl")
            where bounds[name] == nil {
                let lines = try scratch.lines(directory + "/" + name)
                let first = try #require(AuditRecord.parse(Array((lines.first ?? "").utf8)))
                let last = try #require(AuditRecord.parse(Array((lines.last ?? "").utf8)))
                bounds[name] = (first.sequence, last.sequence)
            }
        }
        let remaining = AuditLogFile.rotatedFiles(try FileManager.default.contentsOfDirectory(atPath: directory), logName: "audit.jsonl")
        #expect(remaining.count == 2)
        let prunes = try records(scratch, event: AuditRecord.pruneEvent)
        let prunedNames = prunes.compactMap { record -> String? in
            if case .string(let file)? = record.member("file") { file } else { nil }
        }
        #expect(!prunedNames.isEmpty)
        for (record, name) in zip(prunes, prunedNames) {
            #expect(!FileManager.default.fileExists(atPath: directory + "/" + name))
            let noted = try #require(bounds[name])
            #expect(record.member("first_seq") == .number(String(noted.first)))
            #expect(record.member("last_seq") == .number(String(noted.last)))
            #expect(record.seal != nil)
        }
        // The set's first file follows the last pruned one, and its first record links to the prune's hash.
        let firstLine = try scratch.lines(directory + "/" + remaining[0]).first ?? ""
        let first = try #require(AuditRecord.parse(Array(firstLine.utf8)))
        let prune = try #require(prunes.last)
        #expect(first.member("previous_file") == prune.member("file"))
        #expect(prune.member("last_hash") == .string(first.prev))
        let anchor = AuditChainVerifier.Link(sequence: log.head.sequence, hash: log.head.hash)
        guard case .success(let keyed) = try scratch.verifySet(keys: [try scratch.seed()], anchor: anchor),
            case .success(let chained) = try scratch.verifySet(keys: [])
        else {
            Issue.record("pruned set does not verify: \(try scratch.verifySet(keys: [try scratch.seed()], anchor: anchor))")
            return
        }
        #expect(keyed.firstSequence == first.sequence)
        #expect(keyed.prunedBefore == prunedNames.last)
        #expect(chained.prunedBefore == prunedNames.last)
        // With the key, a prune record alone does not bound a rewrite from the first record: the anchor is needed.
        #expect(brokenReason(try scratch.verifySet(keys: [try scratch.seed()])).contains("older files not given"))
        // An anchor that does not match still fails.
        let wrongAnchor = AuditChainVerifier.Link(sequence: log.head.sequence, hash: String(repeating: "e", count: 64))
        #expect(brokenReason(try scratch.verifySet(keys: [try scratch.seed()], anchor: wrongAnchor)).contains("not the anchored one"))
    }

    @Test("a rotated file deleted without a prune record is found: the set that starts after it does not verify")
    func unrecordedDeletionRefused() throws {
        let scratch = try AuditScratch()
        let anchor: AuditChainVerifier.Link
        do {
            let log = try AuditLog(path: scratch.log, settings: AuditLogSettings(maxBytes: Self.small, keepFiles: 3, epochRecords: 7))
            for i in 1...150 { try log.record("work-\(i)", [("pad", .string(String(repeating: "q", count: 100)))]) }
            anchor = AuditChainVerifier.Link(sequence: log.head.sequence, hash: log.head.hash)
        }
        let rotated = AuditLogFile.rotatedFiles(try FileManager.default.contentsOfDirectory(atPath: scratch.directory), logName: "audit.jsonl")
        #expect(rotated.count == 3)
        guard case .success = try scratch.verifySet(keys: [try scratch.seed()], anchor: anchor) else {
            Issue.record("intact set does not verify")
            return
        }
        // Someone removes the oldest kept file, as the helper's pruning would, but without its record.
        try FileManager.default.removeItem(atPath: scratch.directory + "/" + rotated[0])
        #expect(brokenReason(try scratch.verifySet(keys: [])).contains("no audit-prune record"))
        #expect(brokenReason(try scratch.verifySet(keys: [try scratch.seed()], anchor: anchor)).contains("no audit-prune record"))
        // A prune record appended later (by a restarted log, as one holding the current key could) is
        // not where a rotation writes it, so it explains nothing.
        let removedLast = try #require(try records(scratch, event: AuditRecord.continuationEvent).first)
        let reopened = try AuditLog(path: scratch.log, settings: AuditLogSettings(maxBytes: 1 << 20, keepFiles: 3))
        try reopened.record(AuditRecord.pruneEvent, [
            ("file", .string(rotated[0])), ("last_seq", .number(String(removedLast.sequence - 1))), ("last_hash", .string(removedLast.prev)),
        ])
        let lastEvents = Array(try events(scratch).suffix(2))
        #expect(lastEvents.count == 2 && lastEvents[0] != AuditRecord.continuationEvent && lastEvents[1] == AuditRecord.pruneEvent)
        let forgedAnchor = AuditChainVerifier.Link(sequence: reopened.head.sequence, hash: reopened.head.hash)
        #expect(brokenReason(try scratch.verifySet(keys: [try scratch.seed()], anchor: forgedAnchor)).contains("no audit-prune record"))
        #expect(brokenReason(try scratch.verifySet(keys: [])).contains("no audit-prune record"))
        // The auditor who holds that file's last record can still check the rest explicitly.
        let after = AuditChainVerifier(
            keys: [try scratch.seed()], anchor: anchor,
            after: AuditChainVerifier.Link(sequence: removedLast.sequence - 1, hash: removedLast.prev))
        for file in try AuditLogFile.expand([scratch.directory]) {
            try AuditLogFile.forEachLine(file) { line, number in after.check(line, file: file, number: number) }
        }
        #expect(brokenLine(after.finish()) == nil)
    }

    @Test("rotation under concurrent writers loses and duplicates nothing")
    func concurrent() throws {
        let scratch = try AuditScratch()
        let log = try AuditLog(path: scratch.log, settings: AuditLogSettings(maxBytes: Self.small, keepFiles: 1000, epochRecords: 5))
        DispatchQueue.concurrentPerform(iterations: 8) { writer in
            for i in 0..<40 { try? log.record("w\(writer)-\(i)") }
        }
        let written = try events(scratch).filter { $0.hasPrefix("w") }
        #expect(written.count == 320)
        #expect(Set(written).count == 320)
        #expect(brokenLine(try scratch.verifySet(keys: [try scratch.seed()])) == nil)
        #expect(AuditLogFile.rotatedFiles(try FileManager.default.contentsOfDirectory(atPath: scratch.directory), logName: "audit.jsonl").count > 3)
    }

    @Test("a helper that dies at any step of a rotation restarts with every record, none twice, and a set that verifies", arguments: AuditRotationStep.allCases)
    func crashMidRotation(step: AuditRotationStep) throws {
        let scratch = try AuditScratch()
        var acknowledged: [String] = []
        do {
            let crashing = AuditLogSettings(maxBytes: Self.small, keepFiles: 2, epochRecords: 4) { reached throws(SystemError) in
                if reached == step { throw SystemError("injected crash", errno: EIO, subject: step.rawValue) }
            }
            let log = try AuditLog(path: scratch.log, settings: crashing)
            var i = 0
            // Write until the injected crash stops a record; that record was never acknowledged.
            while true {
                i += 1
                do {
                    try log.record("before-\(i)", [("pad", .string(String(repeating: "x", count: 200)))])
                    acknowledged.append("before-\(i)")
                } catch {
                    break
                }
                #expect(i < 1000)
                if i >= 1000 { return }
            }
            // The helper process is gone: its descriptors close, nothing else happens (the log object is dropped).
        }
        let restarted = try AuditLog(path: scratch.log, settings: AuditLogSettings(maxBytes: Self.small, keepFiles: 2, epochRecords: 4))
        for i in 1...30 {
            try restarted.record("after-\(i)", [("pad", .string(String(repeating: "y", count: 200)))])
            acknowledged.append("after-\(i)")
        }
        // Nothing lost that the kept files should hold, nothing twice: compare with a set that keeps everything.
        let recorded = try events(scratch).filter { $0.hasPrefix("before-") || $0.hasPrefix("after-") }
        #expect(Set(recorded).count == recorded.count, "a record was written twice")
        #expect(Array(acknowledged.suffix(recorded.count)) == recorded, "records lost or reordered")
        #expect(recorded.contains("after-30"))
        let anchor = AuditChainVerifier.Link(sequence: restarted.head.sequence, hash: restarted.head.hash)
        guard case .success = try scratch.verifySet(keys: [try scratch.seed()], anchor: anchor) else {
            Issue.record("\(step): set does not verify: \(try scratch.verifySet(keys: [try scratch.seed()], anchor: anchor))")
            return
        }
    }

    @Test("a rotation that fails after the rename closes the writer: nothing is written to the renamed or the new file until a restart", arguments: [AuditRotationStep.afterRename, .afterCreate])
    func failedRotationClosesTheWriter(step: AuditRotationStep) throws {
        let scratch = try AuditScratch()
        let failing = AuditLogSettings(maxBytes: Self.small, keepFiles: 10, epochRecords: 1000) { reached throws(SystemError) in
            if reached == step { throw SystemError("injected failure", errno: EIO, subject: step.rawValue) }
        }
        let log = try AuditLog(path: scratch.log, settings: failing)
        var refused = false
        for i in 1...200 where !refused {
            do {
                try log.record("work-\(i)", [("pad", .string(String(repeating: "x", count: 200)))])
            } catch {
                refused = true
            }
        }
        #expect(refused)
        let sizes = { () throws -> [String: Int] in
            var sizes: [String: Int] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: scratch.directory) where name.hasPrefix("audit.jsonl") {
                sizes[name] = try FileManager.default.attributesOfItem(atPath: scratch.directory + "/" + name)[.size] as? Int
            }
            return sizes
        }
        let before = try sizes()
        // Small records would fit in either file: none is written, and no rotation is tried again.
        for _ in 0..<5 { #expect(throws: SystemError.self) { try log.record("small") } }
        #expect(throws: SystemError.self) { try log.sync() }
        #expect(try sizes() == before)
        let restarted = try AuditLog(path: scratch.log, settings: AuditLogSettings(maxBytes: Self.small, keepFiles: 10, epochRecords: 1000))
        try restarted.record("after-restart")
        let anchor = AuditChainVerifier.Link(sequence: restarted.head.sequence, hash: restarted.head.hash)
        guard case .success = try scratch.verifySet(keys: [try scratch.seed()], anchor: anchor) else {
            Issue.record("\(step): set does not verify: \(try scratch.verifySet(keys: [try scratch.seed()], anchor: anchor))")
            return
        }
    }

    @Test("a crash mid-rotation with every file kept: the whole set holds every acknowledged record once", arguments: AuditRotationStep.allCases)
    func crashKeepingEverything(step: AuditRotationStep) throws {
        let scratch = try AuditScratch()
        var acknowledged: [String] = []
        var crashed = false
        do {
            let crashing = AuditLogSettings(maxBytes: Self.small, keepFiles: 1000) { reached throws(SystemError) in
                if reached == step { throw SystemError("injected crash", errno: EIO, subject: step.rawValue) }
            }
            let log = try AuditLog(path: scratch.log, settings: crashing)
            for i in 1...200 {
                do {
                    try log.record("before-\(i)", [("pad", .string(String(repeating: "x", count: 200)))])
                    acknowledged.append("before-\(i)")
                } catch {
                    crashed = true
                    break
                }
            }
        }
        #expect(crashed)
        let restarted = try AuditLog(path: scratch.log, settings: AuditLogSettings(maxBytes: Self.small, keepFiles: 1000))
        for i in 1...20 {
            try restarted.record("after-\(i)")
            acknowledged.append("after-\(i)")
        }
        let recorded = try events(scratch).filter { $0.hasPrefix("before-") || $0.hasPrefix("after-") }
        #expect(recorded == acknowledged)
        let all = try events(scratch)
        #expect(all.first == "audit-seal-init")
        guard case .success(let summary) = try scratch.verifySet(keys: [try scratch.seed()]) else {
            Issue.record("\(step): set does not verify: \(try scratch.verifySet(keys: [try scratch.seed()]))")
            return
        }
        #expect(summary.firstSequence == 1)
    }

    @Test("start-up reads the tail only: the head of a large log comes from its end")
    func tailOnly() throws {
        let scratch = try AuditScratch()
        let head: AuditHead
        do {
            let log = try AuditLog(path: scratch.log, settings: AuditLogSettings(maxBytes: 1 << 30))
            for i in 1...500 { try log.record("bulk-\(i)", [("pad", .string(String(repeating: "z", count: 3000)))]) }
            head = log.head
        }
        let fd = open(scratch.log, O_RDONLY)
        defer { close(fd) }
        var status = stat()
        fstat(fd, &status)
        let tail = try AuditLogFile.tail(fd, size: Int64(status.st_size), subject: "log")
        #expect(AuditRecord.parse(try #require(tail.lastLine))?.head == head)
        let reopened = try AuditLog(path: scratch.log)
        #expect(reopened.head == head)
    }
}
