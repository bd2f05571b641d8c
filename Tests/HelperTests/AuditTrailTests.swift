import Foundation
import Glibc
import IPCProtocol
import LinuxSystem
import ProgramLauncher
import Testing

@testable import Helper

/// Who asked (``AuditContext``) and the fail-closed file intents (``AuditedDirectory``), on real
/// files and a real audit log, including one that cannot be written.
@Suite("audit trail")
struct AuditTrailTests {
    static let fingerprint = String(repeating: "0f", count: 32)

    static func controllerRequest() throws -> ControllerRequest {
        try ControllerRequest(
            requestID: OpenStackRequestID(validating: "req-3f2504e0-4f89-41d3-9a0c-0305e82c3301"), method: "PUT",
            path: "/1.0/loadbalancer/a/haproxy", clientSubject: "CN=controller", clientFingerprint: fingerprint)
    }

    /// The log's records, parsed, in order.
    static func records(_ path: String) throws -> [[(String, JSONValue)]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
            guard case .object(let members) = try JSONValue(parsing: Array(line.utf8)) else { return [] }
            return members
        }.filter { !(string($0, "event") ?? "").hasPrefix("audit-") }
    }

    static func string(_ record: [(String, JSONValue)], _ key: String) -> String? {
        guard case .string(let value)? = record.first(where: { $0.0 == key })?.1 else { return nil }
        return value
    }

    /// An audit log that cannot be written (until its next failure: the log then cuts its file back
    /// to the last whole record, so call ``jam(_:)`` again before each write that must fail).
    static func unwritableAuditLog(at path: String) throws -> AuditLog {
        let log = try AuditLog(path: path)
        try jam(path)
        #expect(throws: SystemError.self) { try log.record("probe") }
        try jam(path)
        return log
    }

    /// Extends the log's file (sparse, no space used) to the largest size its filesystem allows, so
    /// that the next append fails (EFBIG) as a full or broken disk would make it fail.
    static func jam(_ path: String) throws {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        try #require(fd >= 0)
        defer { close(fd) }
        var low: Int64 = 0
        var high = Int64.max
        while low < high {
            let middle = low + (high - low) / 2 + 1
            if ftruncate(fd, off_t(middle)) == 0 { low = middle } else { high = middle - 1 }
        }
        try #require(ftruncate(fd, off_t(low)) == 0)
    }

    @Test("a controller command's records carry the front's claim; the front's own and the helper's say so")
    func contextFields() throws {
        try withTemporaryDirectory("amp-audit") { root in
            let log = try AuditLog(path: root + "/audit.jsonl")
            let envelope = RequestEnvelope(id: 7, command: .amphoraInfo, origin: try Self.controllerRequest())
            try AuditContext(log: log, envelope: envelope, peerUID: 999).record("one", [("x", .string("y"))])
            try AuditContext(log: log, envelope: RequestEnvelope(id: 8, command: .heartbeatStats), peerUID: 999).record("two")
            try AuditContext.helper("restore", log: log).record("three")
            let records = try Self.records(root + "/audit.jsonl")
            #expect(records.count == 3)
            let names = records[0].map(\.0)
            let event = try #require(names.firstIndex(of: "event"))
            #expect(Array(names[(event + 1)...].prefix(10)) == [
                "origin", "command", "request", "peer_uid", "request_id", "http_method", "http_path", "client_subject", "client_sha256", "x",
            ])
            #expect(Self.string(records[0], "origin") == "controller")
            #expect(Self.string(records[0], "request_id") == "req-3f2504e0-4f89-41d3-9a0c-0305e82c3301")
            #expect(Self.string(records[0], "client_sha256") == Self.fingerprint)
            #expect(Self.string(records[0], "command") == "amphora-info")
            #expect(Self.string(records[1], "origin") == "front")
            #expect(Self.string(records[1], "request_id") == nil)
            #expect(Self.string(records[2], "origin") == "helper")
            #expect(Self.string(records[2], "command") == "restore")
        }
    }

    @Test("each front-supplied origin member is cut to 256 bytes on a UTF-8 boundary, and the record says so")
    func originClaimsCapped() throws {
        // The cut itself: never inside a character, and the full length and digest kept.
        var cut: [JSONValue] = []
        let wide = "a" + String(repeating: "é", count: 200)  // 401 bytes; byte 256 is inside an é
        let (name, value) = AuditContext.claim("http_path", wide, cut: &cut)
        #expect(name == "http_path")
        guard case .string(let kept) = value else {
            Issue.record("not a string: \(value)")
            return
        }
        #expect(kept.utf8.count == 255)
        #expect(wide.hasPrefix(kept))
        #expect(cut == [.object([("member", .string("http_path")), ("bytes", .number("401")), ("sha256", .string(Digest.sha256Hex(Array(wide.utf8))))])])
        cut = []
        #expect(AuditContext.claim("http_method", "PUT", cut: &cut).1 == .string("PUT"))
        let exact = String(repeating: "x", count: AuditContext.maximumClaimBytes)
        #expect(AuditContext.claim("http_path", exact, cut: &cut).1 == .string(exact))
        #expect(cut.isEmpty)

        // Through a record: a hostile front's longest path and subject are cut where the helper builds it.
        try withTemporaryDirectory("amp-audit") { root in
            let log = try AuditLog(path: root + "/audit.jsonl")
            let path = "/" + String(repeating: "p", count: ControllerRequest.maximumPathLength - 1)
            let subject = "CN=" + String(repeating: "s", count: ControllerRequest.maximumSubjectLength - 3)
            let request = try ControllerRequest(
                requestID: OpenStackRequestID(validating: "req-3f2504e0-4f89-41d3-9a0c-0305e82c3301"), method: "PUT", path: path,
                clientSubject: subject, clientFingerprint: Self.fingerprint)
            let envelope = RequestEnvelope(id: 9, command: .amphoraInfo, origin: request)
            try AuditContext(log: log, envelope: envelope, peerUID: 999).record("big", [("x", .string("y"))])
            let record = try #require(try Self.records(root + "/audit.jsonl").first)
            #expect(Self.string(record, "http_path") == String(path.prefix(AuditContext.maximumClaimBytes)))
            #expect(Self.string(record, "client_subject") == String(subject.prefix(AuditContext.maximumClaimBytes)))
            #expect(Self.string(record, "request_id") == "req-3f2504e0-4f89-41d3-9a0c-0305e82c3301")
            #expect(Self.string(record, "client_sha256") == Self.fingerprint)
            let names = record.map(\.0)
            let sha = try #require(names.firstIndex(of: "client_sha256"))
            #expect(Array(names[(sha + 1)...].prefix(2)) == ["origin_cut", "x"])
            guard case .array(let marks)? = record.first(where: { $0.0 == "origin_cut" })?.1 else {
                Issue.record("no origin_cut")
                return
            }
            #expect(marks == [
                .object([("member", .string("http_path")), ("bytes", .number("1024")), ("sha256", .string(Digest.sha256Hex(Array(path.utf8))))]),
                .object([("member", .string("client_subject")), ("bytes", .number("1024")), ("sha256", .string(Digest.sha256Hex(Array(subject.utf8))))]),
            ])
        }
    }

    @Test("a write is an fsynced intent (path, SHA-256, never the content) before the change, and an outcome after")
    func intentBeforeWrite() throws {
        try withTemporaryDirectory("amp-audit") { root in
            try FileManager.default.createDirectory(atPath: root + "/files", withIntermediateDirectories: true)
            let log = try AuditLog(path: root + "/audit.jsonl")
            let context = AuditContext(log: log, envelope: RequestEnvelope(id: 3, command: .amphoraInfo, origin: try Self.controllerRequest()), peerUID: 1)
            let files = AuditedDirectory(directory: try SafeDirectory.open(root + "/files", create: false), context: context)
            let secret = Array("-----BEGIN PRIVATE KEY-----\nsecret\n".utf8)
            try files.write("key.pem", secret)
            try files.rename("key.pem", to: "renamed.pem")
            #expect(try files.remove("renamed.pem"))
            let records = try Self.records(root + "/audit.jsonl")
            #expect(records.map { Self.string($0, "event") } == ["file-intent", "file-outcome", "file-intent", "file-outcome", "file-intent", "file-outcome"])
            #expect(records.map { Self.string($0, "action") } == ["write", "write", "rename", "rename", "remove", "remove"])
            #expect(Self.string(records[0], "path") == root + "/files/key.pem")
            #expect(Self.string(records[0], "sha256") == Digest.sha256Hex(secret))
            #expect(Self.string(records[1], "result") == "done")
            #expect(Self.string(records[2], "from") == root + "/files/key.pem")
            #expect(records.allSatisfy { Self.string($0, "request_id") == "req-3f2504e0-4f89-41d3-9a0c-0305e82c3301" })
            #expect(!(try String(contentsOfFile: root + "/audit.jsonl", encoding: .utf8)).contains("secret"))
        }
    }

    /// A fresh `<root>/files` directory and an audit log `<root>/audit.jsonl` that a test context records to.
    func withFilesAndLog(_ body: (_ root: String, _ context: AuditContext, _ directory: SafeDirectory) throws -> Void) throws {
        try withTemporaryDirectory("amp-audit") { root in
            try FileManager.default.createDirectory(atPath: root + "/files", withIntermediateDirectories: true)
            let context = AuditContext.forTests(log: try AuditLog(path: root + "/audit.jsonl"))
            try body(root, context, try SafeDirectory.open(root + "/files", create: false))
        }
    }

    /// Whether `record` has `member: true`.
    static func isMarked(_ record: [(String, JSONValue)], _ member: String) -> Bool {
        record.contains { $0.0 == member && $0.1 == .bool(true) }
    }

    @Test("a directory is made under an fsynced intent (path, mode) and an outcome; opening one that exists records nothing")
    func intentBeforeMkdir() throws {
        try withFilesAndLog { root, context, directory in
            let files = AuditedDirectory(directory: directory, context: context)
            let made = try files.subdirectory("lb")
            #expect(made.path == root + "/files/lb")
            #expect((try FileManager.default.attributesOfItem(atPath: root + "/files/lb")[.posixPermissions] as? Int) == 0o700)
            _ = try files.subdirectory("lb")
            let records = try Self.records(root + "/audit.jsonl")
            #expect(records.map { Self.string($0, "event") } == ["file-intent", "file-outcome"])
            #expect(records.map { Self.string($0, "action") } == ["mkdir", "mkdir"])
            #expect(Self.string(records[0], "path") == root + "/files/lb")
            #expect(Self.string(records[0], "mode") == "700")
            #expect(Self.string(records[1], "result") == "done")
            // A symlink planted by that name is refused, not followed, and nothing is made.
            #expect(symlink(root, root + "/files/planted") == 0)
            #expect(throws: FileChangeError.self) { _ = try files.subdirectory("planted") }
        }
    }

    @Test("a configuration's candidate is marked as one on its write and on the rename that promotes it; other changes are not")
    func candidateMarked() throws {
        try withFilesAndLog { root, context, directory in
            try AuditedDirectory(directory: directory, context: context).write("haproxy.cfg", Array("old".utf8))
            let candidate = CandidateFile(directory: directory, name: "haproxy.cfg", context: context)
            try candidate.write(Array("new".utf8))
            try candidate.promote()
            let records = try Self.records(root + "/audit.jsonl").filter { Self.string($0, "event")?.hasPrefix("file-") == true }
            #expect(records.map { Self.string($0, "action") } == ["write", "write", "write", "write", "rename", "rename"])
            let marked = records.map { Self.isMarked($0, "candidate") }
            #expect(marked == [false, false, true, true, true, true])
            #expect(Self.string(records[2], "path") == root + "/files/haproxy.cfg.new")
            #expect(Self.string(records[4], "from") == root + "/files/haproxy.cfg.new")

            // A refused candidate kept as .new-failed: a candidate's rename too.
            try candidate.write(Array("bad".utf8))
            candidate.keepFailed()
            let kept = try Self.records(root + "/audit.jsonl").filter { Self.string($0, "event")?.hasPrefix("file-") == true }.suffix(2)
            #expect(kept.map { Self.string($0, "action") } == ["rename", "rename"])
            #expect(kept.allSatisfy { Self.isMarked($0, "candidate") })
            #expect(Self.string(kept.first!, "path") == root + "/files/haproxy.cfg.new-failed")
        }
    }

    @Test("an announced intent is recorded before the candidate's write intent, marked announced, durable with it; an unwritable log refuses both")
    func announcedIntent() throws {
        try withFilesAndLog { root, context, directory in
            let id = try ResourceID(validating: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
            let check = AnnouncedIntent(
                command: .haproxyCheck(instance: id, amphora: id, candidate: true), event: "exec-intent",
                members: context.fields + [("operation", .string("haproxy-check"))])
            #expect(!check.wasWritten && !check.isDurable)
            try CandidateFile(directory: directory, name: "haproxy.cfg", context: context).write(Array("new".utf8), announcing: [check])
            #expect(check.wasWritten && check.isDurable)
            let records = try Self.records(root + "/audit.jsonl")
            #expect(records.map { Self.string($0, "event") } == ["exec-intent", "file-intent", "file-outcome"])
            #expect(Self.isMarked(records[0], "announced"))
            #expect(Self.string(records[0], "operation") == "haproxy-check")

            let jammed = try Self.unwritableAuditLog(at: root + "/jammed.jsonl")
            defer { unlink(root + "/jammed.jsonl") }
            let refusing = AuditContext.forTests(log: jammed)
            let refused = AnnouncedIntent(command: check.command, event: "exec-intent", members: refusing.fields)
            #expect(throws: FileChangeError.self) {
                try CandidateFile(directory: directory, name: "other.cfg", context: refusing).write(Array("x".utf8), announcing: [refused])
            }
            #expect(!refused.isDurable)
            #expect(!directory.exists("other.cfg.new"))
        }
    }

    @Test("an unwritable audit log refuses every change (503) and leaves the old file and nothing else")
    func unwritableLogRefuses() throws {
        try withTemporaryDirectory("amp-audit") { root in
            try FileManager.default.createDirectory(atPath: root + "/files", withIntermediateDirectories: true)
            let directory = try SafeDirectory.open(root + "/files", create: false)
            try directory.writeAtomically("haproxy.cfg", Array("old".utf8))
            let log = try Self.unwritableAuditLog(at: root + "/audit.jsonl")
            defer { unlink(root + "/audit.jsonl") }
            let context = AuditContext.forTests(log: log)
            let files = AuditedDirectory(directory: directory, context: context)
            let candidate = CandidateFile(directory: directory, name: "haproxy.cfg", context: context)
            let path = root + "/audit.jsonl"
            #expect(throws: FileChangeError.self) { try files.write("haproxy.cfg", Array("new".utf8)) }
            try Self.jam(path)
            #expect(throws: FileChangeError.self) { try candidate.write(Array("new".utf8)) }
            try Self.jam(path)
            #expect(throws: FileChangeError.self) { try files.remove("haproxy.cfg") }
            try Self.jam(path)
            #expect(throws: FileChangeError.self) { try files.removeTree("haproxy.cfg") }
            try Self.jam(path)
            #expect(throws: FileChangeError.self) { try files.rename("haproxy.cfg", to: "other") }
            try Self.jam(path)
            #expect(throws: FileChangeError.self) { _ = try files.subdirectory("lb") }
            try Self.jam(path)
            #expect(try directory.entries() == ["haproxy.cfg"])
            #expect(try directory.read("haproxy.cfg", limit: 16) == Array("old".utf8))
            do throws(FileChangeError) {
                try files.write("haproxy.cfg", Array("new".utf8))
            } catch {
                let wire = CommandError(mapping: error.wrapped(refused: HAProxyError.launcher, failed: HAProxyError.storage))
                #expect(wire == CommandError(.unavailable, "Audit log unavailable; command refused"))
            }
        }
    }

    @Test("a certificate upload with an unwritable audit log is refused with 503 and stores nothing")
    func certificateRefused() throws {
        try withTemporaryDirectory("amp-audit", under: "/dev/shm") { root in
            try FileManager.default.createDirectory(atPath: root + "/base", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: root + "/certs", withIntermediateDirectories: true)
            let log = try Self.unwritableAuditLog(at: root + "/audit.jsonl")
            defer { unlink(root + "/audit.jsonl") }
            let runner = RecordingRunner(stdout: "inactive\n")
            let instances = HAProxyInstances(
                base: try SafeDirectory.open(root + "/base", create: false),
                paths: ProgramPaths(haproxy: "/usr/sbin/haproxy", keepalived: "/usr/sbin/keepalived", basePath: root + "/base"),
                baseCertDir: root + "/certs", runner: runner, services: SystemdServiceManager(runner: runner))
            let store = CertificateStore(certDirectory: root + "/certs", instances: instances, audit: log)
            let loadBalancer = try ResourceID(validating: "7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b")
            let upload = CertificateUpload(
                instance: loadBalancer, file: try CertificateFileName(validating: "list.pem"),
                content: "\(root)/certs/\(loadBalancer)/cert.pem\n", scope: .loadBalancer)
            #expect(wireError { _ = try store.store(upload, context: .forTests(log: log)) } == CommandError(.unavailable, "Audit log unavailable; command refused"))
            #expect(!FileManager.default.fileExists(atPath: "\(root)/certs/\(loadBalancer)/list.pem"))
        }
    }
}
