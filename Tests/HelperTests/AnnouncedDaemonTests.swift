import Foundation
import Glibc
import IPCProtocol
import LinuxSystem
import ProgramLauncher
import Testing

@testable import Helper

/// A reload announced with the server state's write (``AnnouncedIntent``): each service manager
/// acts on an announced intent only when it is durable, in its log, and names exactly that act.
@Suite("announced daemon operations")
struct AnnouncedDaemonTests {
    let id = try! ResourceID(validating: "7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b")
    let other = try! ResourceID(validating: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")

    /// A temporary directory of files, an audit log beside it, and a context writing there.
    func withFilesAndLog(_ body: (_ root: String, _ context: AuditContext, _ files: AuditedDirectory) throws -> Void) throws {
        try withTemporaryDirectory("amp-announced-daemon") { root in
            try FileManager.default.createDirectory(atPath: root + "/files", withIntermediateDirectories: true)
            let context = AuditContext.forTests(log: try AuditLog(path: root + "/audit.jsonl"))
            try body(root, context, AuditedDirectory(directory: try SafeDirectory.open(root + "/files", create: false), context: context))
        }
    }

    /// A direct service manager whose agent end is `peer`; the agent's reply to request 1 is already waiting.
    func withDirectManager(log: AuditLog, _ body: (DirectServiceManager, _ peer: Int32) throws -> Void) throws {
        var pair: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0)
        defer { close(pair[0]); close(pair[1]) }
        let reply = try Frame.encode(try StrictJSON.encode(DaemonReply(id: 1, status: DaemonStatus(running: true, pid: 42), error: nil)))
        #expect(write(pair[1], reply, reply.count) == reply.count)
        try body(DirectServiceManager(fd: pair[0], audit: log), pair[1])
    }

    /// Whether the agent's end has received anything.
    func received(_ peer: Int32) -> Bool {
        var pending = pollfd(fd: peer, events: Int16(POLLIN), revents: 0)
        return poll(&pending, 1, 0) == 1
    }

    /// The log's daemon and file records: "event operation-or-file-name[ announced]".
    func trail(_ root: String) throws -> [String] {
        try AuditTrailTests.records(root + "/audit.jsonl").compactMap { record in
            guard let event = AuditTrailTests.string(record, "event"), event.hasPrefix("daemon-") || event.hasPrefix("file-") else { return nil }
            let what = AuditTrailTests.string(record, "operation") ?? AuditTrailTests.string(record, "path").map { String($0.split(separator: "/").last ?? "") } ?? ""
            return "\(event) \(what)" + (AuditTrailTests.isMarked(record, "announced") ? " announced" : "")
        }
    }

    /// The audit's refusal, as the manager's own or as the launcher's (both 503).
    func isAuditRefusal(_ error: any Error) -> Bool {
        switch error as? ServiceError {
        case .auditUnavailable: return true
        case .launcher(let refusal): return refusal == AuditContext.auditUnavailable
        default: return false
        }
    }

    @Test("direct: a reload announced with a write runs once durable, and records only its outcome")
    func directReload() throws {
        try withFilesAndLog { root, context, files in
            try withDirectManager(log: context.log) { manager, peer in
                #expect(manager.intent(for: .status, .haproxy(id), context: context) == nil)
                let reload = try #require(manager.intent(for: .reload, .haproxy(id), context: context))
                try files.write("servers-state", Array("1\n".utf8), announcing: [reload])
                #expect(reload.isDurable)
                let status = try manager.perform(announced: reload, .reload, .haproxy(id), context: context)
                #expect(status.running && status.pid == 42)
                let request = try Frame.readPayload { buffer in read(peer, buffer.baseAddress, buffer.count) }
                #expect(try StrictJSON.decode(DaemonRequest.self, from: request) == DaemonRequest(id: 1, operation: .reload, unit: .haproxy(id)))
                #expect(try trail(root) == [
                    "daemon-intent reload announced", "file-intent servers-state", "file-outcome servers-state", "daemon-outcome reload",
                ])
            }
        }
    }

    @Test("direct: an announced intent not written, written elsewhere, or for another unit or operation asks the agent nothing (503)")
    func directRefusals() throws {
        try withFilesAndLog { root, context, files in
            try withDirectManager(log: context.log) { manager, peer in
                let notWritten = try #require(manager.intent(for: .reload, .haproxy(id), context: context))
                #expect { try manager.perform(announced: notWritten, .reload, .haproxy(id), context: context) } throws: { isAuditRefusal($0) }

                let forOther = try #require(manager.intent(for: .reload, .haproxy(other), context: context))
                let forStart = try #require(manager.intent(for: .start, .haproxy(id), context: context))
                try files.write("servers-state", Array("1\n".utf8), announcing: [forOther, forStart])
                #expect(forOther.isDurable && forStart.isDurable)
                #expect { try manager.perform(announced: forOther, .reload, .haproxy(id), context: context) } throws: { isAuditRefusal($0) }
                #expect { try manager.perform(announced: forStart, .reload, .haproxy(id), context: context) } throws: { isAuditRefusal($0) }

                let elsewhereLog = try AuditLog(path: root + "/elsewhere.jsonl")
                let elsewhere = AuditContext.forTests(log: elsewhereLog)
                let inOtherLog = try #require(manager.intent(for: .reload, .haproxy(id), context: context))
                try AuditedDirectory(directory: files.directory, context: elsewhere).write("x", Array("1".utf8), announcing: [inOtherLog])
                #expect(inOtherLog.isDurable)
                #expect { try manager.perform(announced: inOtherLog, .reload, .haproxy(id), context: context) } throws: { isAuditRefusal($0) }
                #expect(!received(peer))
            }
        }
    }

    @Test("direct: an announced reload after a failed fsync closed the log asks the agent nothing (503)")
    func directAfterLogClosed() throws {
        try withTemporaryDirectory("amp-announced-closed") { root in
            let closable = try ClosableAuditLog(path: root + "/audit.jsonl")
            let log = closable.log
            let context = AuditContext.forTests(log: log)
            let files = AuditedDirectory(directory: try SafeDirectory.open(root, create: false), context: context)
            try withDirectManager(log: log) { manager, peer in
                let reload = try #require(manager.intent(for: .reload, .haproxy(id), context: context))
                try files.write("servers-state", Array("1\n".utf8), announcing: [reload])
                try closable.close()
                #expect { try manager.perform(announced: reload, .reload, .haproxy(id), context: context) } throws: { isAuditRefusal($0) }
                #expect(!received(peer))
            }
        }
    }

    @Test("an announced intent is written once only; a manager that announces nothing withdraws one and records its own")
    func writtenOnceAndDefaultManager() throws {
        try withFilesAndLog { root, context, files in
            let intent = AnnouncedIntent(event: "daemon-intent", members: DirectServiceManager.fields(.reload, .haproxy(id), context: context))
            try files.write("servers-state", Array("1\n".utf8), announcing: [intent])
            #expect(throws: FileChangeError.self) { try files.write("servers-state", Array("2\n".utf8), announcing: [intent]) }
            #expect(try files.directory.read("servers-state") == Array("1\n".utf8))

            let manager = RacingServiceManager(races: 0)
            #expect(try manager.perform(announced: intent, .reload, .haproxy(id), context: context).running)
            #expect(manager.reloads.withLock { $0 } == 1)
            let withdrawn = try #require(try AuditTrailTests.records(root + "/audit.jsonl").last)
            #expect(AuditTrailTests.string(withdrawn, "event") == "daemon-outcome")
            #expect(AuditTrailTests.string(withdrawn, "result") == "not run")
            #expect(AuditTrailTests.isMarked(withdrawn, "announced"))
        }
    }

    @Test("direct: an agent that does not answer leaves an outcome saying so")
    func directNoAnswer() throws {
        try withFilesAndLog { root, context, _ in
            var pair: [Int32] = [0, 0]
            #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0)
            defer { close(pair[0]); close(pair[1]) }
            // The agent takes the request and hangs up without a reply.
            #expect(shutdown(pair[1], Int32(SHUT_WR)) == 0)
            let manager = DirectServiceManager(fd: pair[0], audit: context.log)
            #expect(throws: ServiceError.self) { try manager.perform(.reload, .haproxy(id), context: context) }
            #expect(try trail(root) == ["daemon-intent reload", "daemon-outcome reload"])
            let outcome = try #require(try AuditTrailTests.records(root + "/audit.jsonl").last)
            #expect(AuditTrailTests.string(outcome, "error")?.hasPrefix("no answer") == true)
        }
    }

    @Test("systemd: only a single systemctl call is announced, and runs only as announced and once durable")
    func systemdReload() throws {
        try withFilesAndLog { root, context, files in
            let runner = AnnouncingRunner()
            let manager = SystemdServiceManager(runner: runner)
            #expect(manager.intent(for: .start, .haproxy(id), context: context) == nil)
            #expect(manager.intent(for: .stop, .haproxy(id), context: context) == nil)
            let reload = try #require(manager.intent(for: .reload, .haproxy(id), context: context))
            #expect(reload.command == .systemctl(.reload, .haproxy(id)))
            #expect { try manager.perform(announced: reload, .reload, .haproxy(id), context: context) } throws: { isAuditRefusal($0) }
            try files.write("servers-state", Array("1\n".utf8), announcing: [reload])
            #expect { try manager.perform(announced: reload, .reload, .haproxy(other), context: context) } throws: { isAuditRefusal($0) }
            #expect { try manager.perform(announced: reload, .status, .haproxy(id), context: context) } throws: { isAuditRefusal($0) }
            #expect(runner.ran.withLock { $0 }.isEmpty)
            #expect(try manager.perform(announced: reload, .reload, .haproxy(id), context: context).running)
            #expect(runner.ran.withLock { $0 } == [.systemctl(.reload, .haproxy(id))])
        }
    }
}
