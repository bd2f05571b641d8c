import Foundation
import IPCProtocol
import LinuxSystem
import ProgramLauncher
import Testing

@testable import Helper

/// haproxy instances with a recording runner: which checks and units run, which files stay, and
/// the wire errors. Real haproxy runs in the integration tests (HAProxyLifecycleTests).
@Suite("haproxy instances")
struct HAProxyInstancesTests: HAProxyInstanceSuite {
    let context = AuditContext.forTests()

    /// Instances on a fresh base directory (certificates under `<base>/certs`), whose runner exits
    /// with `exitCode` and prints `stdout`.
    func withInstances(exitCode: Int32 = 0, stdout: String = "inactive\n", _ body: (HAProxyInstances, RecordingRunner, String) throws -> Void) throws {
        try withTemporaryDirectory("amp-instances") { base in
            let runner = RecordingRunner(exitCode: exitCode, stdout: stdout)
            try body(try makeInstances(on: base, runner: runner), runner, base)
        }
    }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    @Test("an accepted upload is checked as the candidate, promoted, and its digest, amphora and peer name stored")
    func uploadAccepted() throws {
        try withInstances { instances, runner, base in
            let answer = try instances.upload(upload(octavia(base)), context: context)
            #expect(answer.hasPrefix("Configuration file is valid"))
            let stored = try String(contentsOfFile: "\(base)/\(id)/haproxy.cfg", encoding: .utf8)
            let stamp = try String(contentsOfFile: "\(base)/\(id)/haproxy.cfg.checked", encoding: .utf8)
            #expect(stamp == instances.checkedStamp(stored, id) && stamp.hasPrefix(Digest.sha256Hex(stored.utf8) + " "))
            #expect(try String(contentsOfFile: "\(base)/\(id)/amphora-id", encoding: .utf8) == amphora.description)
            #expect(exists("\(base)/\(id)/haproxy.env"))
            #expect(!exists("\(base)/\(id)/haproxy.cfg.new"))
            #expect(runner.calls.withLock { $0 } == [.haproxyCheck(instance: id, amphora: amphora, candidate: true)])
        }
    }

    @Test("a configuration haproxy -c refuses: 400, kept as .new-failed, nothing active")
    func uploadRefusedByCheck() throws {
        try withInstances(exitCode: 1) { instances, _, base in
            let error = wireError { _ = try instances.upload(upload(octavia(base)), context: context) }
            #expect(error?.code == .badRequest)
            #expect(error?.message == "Invalid request")
            #expect(exists("\(base)/\(id)/haproxy.cfg.new-failed"))
            #expect(!exists("\(base)/\(id)/haproxy.cfg"))
        }
    }

    @Test("a text the allow-list refuses never reaches haproxy and writes nothing")
    func uploadRefusedByPolicy() throws {
        try withInstances { instances, runner, base in
            let error = wireError { _ = try instances.upload(upload("global\n    lua-load /tmp/x.lua\n"), context: context) }
            #expect(error?.code == .badRequest)
            #expect(error?.message == "Invalid request")
            #expect(runner.calls.withLock { $0 }.isEmpty)
            #expect(!exists("\(base)/\(id)"))
        }
    }

    @Test("an action on an unknown instance is 404 Instance Not Found, and nothing runs")
    func unknownInstance() throws {
        try withInstances { instances, runner, _ in
            for action in ServiceAction.allCases {
                #expect(wireError { _ = try instances.perform(action, on: id, context: context) }
                    == CommandError(.instanceNotFound, "Instance Not Found", details: id.description))
            }
            #expect(runner.calls.withLock { $0 }.isEmpty)
        }
    }

    @Test("a stored configuration is there when anything has its name; a planted one is there but refused when read",
        .timeLimit(.minutes(1)))
    func storedConfigPresence() throws {
        try withInstances { instances, runner, base in
            let config = "\(base)/\(id)/haproxy.cfg"
            #expect(try !instances.hasStoredConfig(id))
            try FileManager.default.createDirectory(atPath: "\(base)/\(id)", withIntermediateDirectories: false)
            #expect(try !instances.hasStoredConfig(id))
            let plants: [(String, () -> Bool)] = [
                ("symlink", { symlink("/etc/hostname", config) == 0 }),
                ("dangling symlink", { symlink("\(base)/nowhere", config) == 0 }),
                ("FIFO", { mkfifo(config, 0o600) == 0 }),
                ("directory", { mkdir(config, 0o700) == 0 }),
            ]
            for (what, plant) in plants {
                #expect(plant(), "\(what)")
                #expect(try instances.hasStoredConfig(id), "\(what)")
                // A load balancer's action then goes to the haproxy instance, whose read refuses it at once.
                #expect(throws: HAProxyError.self, "\(what)") { _ = try instances.storedConfig(id) }
                #expect(wireError { _ = try instances.perform(.reload, on: id, context: context) }?.code == .internalError, "\(what)")
                try FileManager.default.removeItem(atPath: config)
            }
            #expect(runner.calls.withLock { $0 }.isEmpty)
            _ = try instances.upload(upload(octavia(base)), context: context)
            #expect(try instances.hasStoredConfig(id))
        }
    }

    @Test("start of a checked file does not check it again; a haproxy that never answers is a 500")
    func startWithoutAnswer() throws {
        try withInstances { instances, runner, base in
            _ = try instances.upload(upload(octavia(base)), context: context)
            runner.calls.withLock { $0 = [] }
            // The unit stays inactive and no stats socket appears.
            #expect(wireError { _ = try instances.perform(.start, on: id, context: context) }
                == CommandError(.internalError, "Error starting haproxy", details: "haproxy did not come up"))
            let calls = runner.calls.withLock { $0 }
            #expect(!calls.contains { if case .haproxyCheck = $0 { true } else { false } })
            #expect(calls.prefix(3) == [.systemctl(.status, .haproxy(id)), .systemctl(.enable, .haproxy(id)), .systemctl(.start, .haproxy(id))])
        }
    }

    @Test("the checked stamp names the text, the instance and the paths: another of any of them does not match")
    func stampFingerprint() throws {
        try withTemporaryDirectory("amp-instances") { base in
            try withTemporaryDirectory("amp-instances") { otherBase in
                let runner = RecordingRunner(exitCode: 0, stdout: "")
                let instances = try makeInstances(on: base, runner: runner)
                let elsewhere = try makeInstances(on: otherBase, runner: runner)
                let other = try ResourceID(validating: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
                // The test binary has a build ID (without one nothing is stamped, and everything is checked again).
                let stamp = try #require(instances.checkedStamp("text", id))
                #expect(instances.checkedStamp("text", id) == stamp)
                #expect(instances.checkedStamp("text2", id) != stamp)
                #expect(instances.checkedStamp("text", other) != stamp)
                #expect(elsewhere.checkedStamp("text", id) != stamp)
                #expect(stamp.hasPrefix(Digest.sha256Hex("text".utf8) + " "))
            }
        }
    }

    @Test("a certificate stored or deleted makes the next start or reload check the configuration again, once")
    func certificateChangeVoidsTheStamp() throws {
        // Certificates live on a memory filesystem: the whole base goes under /dev/shm.
        try withTemporaryDirectory("amp-instances", under: "/dev/shm") { base in
            let runner = RecordingRunner(exitCode: 0, stdout: "inactive\n")
            let instances = try makeInstances(on: base, runner: runner)
            let store = CertificateStore(certDirectory: base + "/certs", instances: instances, audit: try AuditLog(path: base + "/audit.log"))
            let stampFile = "\(base)/\(id)/haproxy.cfg.checked"
            let file = try CertificateFileName(validating: "list.pem")
            let checks = { runner.calls.withLock { $0 }.filter { if case .haproxyCheck = $0 { true } else { false } }.count }
            func stampMatches() throws -> Bool {
                let stored = try String(contentsOfFile: "\(base)/\(id)/haproxy.cfg", encoding: .utf8)
                return try String(contentsOfFile: stampFile, encoding: .utf8) == instances.checkedStamp(stored, id)
            }
            _ = try store.store(CertificateUpload(instance: id, file: file, content: "\(base)/certs/\(id)/a.pem\n", scope: .loadBalancer), context: context)

            for change in ["store", "delete", "store again"] {
                _ = try instances.upload(upload(octavia(base)), context: context)
                #expect(try stampMatches(), "\(change)")
                if change == "delete" {
                    #expect(try store.delete(id, file, scope: .loadBalancer, context: context))
                } else {
                    _ = try store.store(CertificateUpload(instance: id, file: file, content: "\(base)/certs/\(id)/b.pem\n", scope: .loadBalancer), context: context)
                }
                #expect(try !stampMatches(), "\(change)")
                runner.calls.withLock { $0 = [] }
                _ = wireError { _ = try instances.perform(.start, on: id, context: context) }
                #expect(runner.calls.withLock { $0 }.contains(.haproxyCheck(instance: id, amphora: amphora, candidate: false)), "\(change)")
                // The check passed: stamped again, and the next start checks nothing.
                #expect(try stampMatches(), "\(change)")
                runner.calls.withLock { $0 = [] }
                _ = wireError { _ = try instances.perform(.start, on: id, context: context) }
                #expect(checks() == 0, "\(change)")
            }
        }
    }

    @Test("the certificates' names and inodes: a file renamed over another under its name changes them, whatever the clock")
    func entryInodesSeeReplacements() throws {
        try withTemporaryDirectory("amp-inodes") { base in
            #expect(HAProxyInstances.entryInodes(base + "/missing") == "")
            try "a".write(toFile: base + "/x.pem", atomically: false, encoding: .utf8)
            let before = try #require(HAProxyInstances.entryInodes(base))
            #expect(before.hasPrefix("x.pem="))
            try "b".write(toFile: base + "/.tmp", atomically: false, encoding: .utf8)
            #expect(rename(base + "/.tmp", base + "/x.pem") == 0)
            #expect(HAProxyInstances.entryInodes(base) != before)
            // A symlink in the directory's place is not followed.
            #expect(symlink(base, base + "/link") == 0)
            #expect(HAProxyInstances.entryInodes(base + "/link") == nil)
        }
    }

    @Test("a stamp of another policy or paths (an older agent's bare digest) is checked again at start")
    func startRechecksForeignStamp() throws {
        try withInstances { instances, runner, base in
            _ = try instances.upload(upload(octavia(base)), context: context)
            let stored = try String(contentsOfFile: "\(base)/\(id)/haproxy.cfg", encoding: .utf8)
            try Digest.sha256Hex(stored.utf8).write(toFile: "\(base)/\(id)/haproxy.cfg.checked", atomically: true, encoding: .utf8)
            runner.calls.withLock { $0 = [] }
            _ = wireError { _ = try instances.perform(.start, on: id, context: context) }
            #expect(runner.calls.withLock { $0 }.contains(.haproxyCheck(instance: id, amphora: amphora, candidate: false)))
        }
    }

    @Test("an unchecked stored file starts only as the agent would store it, and only with its amphora id: else refused, nothing runs")
    func startRefusesStoredFileWithoutForcedLines() throws {
        try withInstances { instances, runner, base in
            _ = try instances.upload(upload(octavia(base)), context: context)
            let path = "\(base)/\(id)/haproxy.cfg"
            let stored = try String(contentsOfFile: path, encoding: .utf8)
            // A foreign file: root workers and an admin socket, which an upload would have dropped.
            let lines = stored.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let global = try #require(lines.firstIndex(of: "global"))
            let foreign = (lines[...global] + ["    user root", "    stats socket /tmp/x.sock mode 0666 level admin"] + lines[(global + 1)...])
                .joined(separator: "\n")
            #expect(foreign != stored)
            try foreign.write(toFile: path, atomically: true, encoding: .utf8)
            runner.calls.withLock { $0 = [] }
            for action in [ServiceAction.start, .reload] {
                let error = wireError { _ = try instances.perform(action, on: id, context: context) }
                #expect(error?.details == "the stored configuration is not as the agent stores one (upload it again)", "\(String(describing: error))")
            }
            #expect(runner.calls.withLock { $0 }.isEmpty)

            // As stored, but without its amphora id: never started without `haproxy -c`.
            try stored.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(unlink("\(base)/\(id)/amphora-id") == 0)
            try Digest.sha256Hex(stored.utf8).write(toFile: "\(base)/\(id)/haproxy.cfg.checked", atomically: true, encoding: .utf8)
            let error = wireError { _ = try instances.perform(.start, on: id, context: context) }
            #expect(error?.details == "no amphora id is stored with the configuration (upload it again)", "\(String(describing: error))")
            #expect(runner.calls.withLock { $0 }.isEmpty)
        }
    }

    @Test("an upload of the same text again rewrites neither its stamp, nor the amphora id, nor the peer name")
    func uploadAgainLeavesUnchangedFiles() throws {
        try withInstances { instances, _, base in
            _ = try instances.upload(upload(octavia(base)), context: context)
            let files = ["haproxy.cfg.checked", "amphora-id", "haproxy.env"].map { "\(base)/\(id)/\($0)" }
            let inodes = try files.map { try FileManager.default.attributesOfItem(atPath: $0)[.systemFileNumber] as? Int }
            _ = try instances.upload(upload(octavia(base)), context: context)
            #expect(try files.map { try FileManager.default.attributesOfItem(atPath: $0)[.systemFileNumber] as? Int } == inodes)
        }
    }

    @Test("an unchanged file with another mode or a second link is written afresh, not kept")
    func uploadAgainReplacesOddFiles() throws {
        try withInstances { instances, _, base in
            _ = try instances.upload(upload(octavia(base)), context: context)
            let amphoraFile = "\(base)/\(id)/amphora-id", envFile = "\(base)/\(id)/haproxy.env"
            #expect(chmod(amphoraFile, 0o644) == 0)
            #expect(link(envFile, "\(base)/env-link") == 0)
            let inode = { (path: String) in try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int }
            let before = (try inode(amphoraFile), try inode(envFile))
            _ = try instances.upload(upload(octavia(base)), context: context)
            #expect(try inode(amphoraFile) != before.0 && inode(envFile) != before.1)
            #expect(try FileManager.default.attributesOfItem(atPath: amphoraFile)[.posixPermissions] as? Int == 0o600)
        }
    }

    @Test("delete removes the directory, the socket and the certificates; false the second time")
    func delete() throws {
        try withInstances { instances, _, base in
            _ = try instances.upload(upload(octavia(base)), context: context)
            try FileManager.default.createDirectory(atPath: "\(base)/certs/\(id)", withIntermediateDirectories: true)
            #expect(try instances.delete(id, context: context))
            #expect(!exists("\(base)/\(id)") && !exists("\(base)/certs/\(id)"))
            #expect(try !instances.delete(id, context: context))
        }
    }
}
