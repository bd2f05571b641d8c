import Foundation
import Helper
import IPCProtocol
import Testing

@Suite("Audit log")
struct AuditLogTests {
    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString).jsonl").path
    }

    @Test("records chain, survive reopening, and verify")
    func chain() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let log = try AuditLog(path: path)
            try log.record("one", [("argv", .array([.string("ip"), .string("-j")]))])
            try log.record("two")
        }
        let reopened = try AuditLog(path: path)
        try reopened.record("three")
        let contents = try #require(FileManager.default.contents(atPath: path))
        #expect(AuditLog.verify(contents: Array(contents)) == .intact(records: 3))
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
    }

    @Test("an edited, removed or reordered record is reported at its line")
    func tampering() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = try AuditLog(path: path)
        for i in 1...4 { try log.record("event-\(i)") }
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)

        var edited = lines
        edited[1] = edited[1].replacingOccurrences(of: "event-2", with: "event-X")
        #expect(AuditLog.verify(contents: Array((edited.joined(separator: "\n") + "\n").utf8))
            == .broken(line: 2, reason: "record was edited: its hash does not match its content"))

        var removed = lines
        removed.remove(at: 3)
        removed.remove(at: 2)
        #expect(AuditLog.verify(contents: Array((removed.joined(separator: "\n") + "\n").utf8)) == .intact(records: 2))
        removed = lines
        removed.remove(at: 1)
        if case .broken(let line, _) = AuditLog.verify(contents: Array((removed.joined(separator: "\n") + "\n").utf8)) {
            #expect(line == 2)
        } else {
            Issue.record("removal not detected")
        }

        let swapped = [lines[0], lines[2], lines[1], lines[3]]
        if case .broken(let line, _) = AuditLog.verify(contents: Array((swapped.joined(separator: "\n") + "\n").utf8)) {
            #expect(line == 2)
        } else {
            Issue.record("reordering not detected")
        }

        let garbage = lines + ["not json"]
        #expect(AuditLog.verify(contents: Array((garbage.joined(separator: "\n") + "\n").utf8))
            == .broken(line: 5, reason: "not a well-formed audit record"))
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
