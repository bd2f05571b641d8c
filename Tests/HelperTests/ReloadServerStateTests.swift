import Foundation
import Glibc
import IPCProtocol
import LinuxSystem
import ProgramLauncher
import Testing

@testable import Helper

/// What a reload asks of the service manager (`systemctl`, through the recording runner): a haproxy
/// that answers on the instance's own stats socket is reloaded with its server state saved, without
/// `systemctl is-active` first (upstream asks the pid file, not systemd); one that does not answer
/// is asked about, then reloaded without server state or started.
@Suite("haproxy reload and its server state", .serialized)
struct ReloadServerStateTests: HAProxyInstanceSuite {
    let context = AuditContext.forTests()

    /// `body` on instances of a fresh base directory with an uploaded (checked) configuration, whose
    /// `systemctl` prints `answer`; the runner's record starts after the upload.
    func withUploaded(systemctl answer: String, _ body: (HAProxyInstances, RecordingRunner, String) throws -> Void) throws {
        try withTemporaryDirectory("amp-state") { base in
            let runner = RecordingRunner(stdout: answer)
            let instances = try makeInstances(on: base, runner: runner)
            _ = try instances.upload(upload(octavia(base)), context: context)
            runner.calls.withLock { $0 = [] }
            try body(instances, runner, base)
        }
    }

    @Test("haproxy answers: its server state is saved and it is reloaded, one systemctl call in all", .timeLimit(.minutes(1)))
    func answering() throws {
        try withUploaded(systemctl: "active\n") { (instances, runner, base) throws in
            let haproxy = try StatsOnlyHAProxy(base: base, id: id)
            defer { haproxy.kill() }
            let deadline = Date().addingTimeInterval(20)
            while !HAProxyStatsSocket.isAnswering(instances.statsSocket(id), timeoutSeconds: 1), Date() < deadline { usleep(20_000) }
            #expect(try instances.perform(.reload, on: id, context: context) == "Listener \(id) reloaded")
            #expect(runner.calls.withLock { $0 } == [.systemctl(.reload, .haproxy(id))])
            let state = try String(contentsOfFile: "\(base)/\(id)/servers-state", encoding: .utf8)
            #expect(state.hasPrefix("1\n# be_id"))
            #expect(state.contains(" be ") && state.contains(" s1 "))
        }
    }

    @Test("something answers on the stats socket, but not with a server state: systemd is asked, nothing is saved",
        .timeLimit(.minutes(1)))
    func answeringWithoutState() throws {
        // An error reply, nothing, another format, and a state longer than the 16 MiB the helper reads.
        let tooLong = "1\n# be_id\n" + String(repeating: "x", count: 17 << 20)
        for reply in ["Unknown command. Please enter one of the following commands only :\n", "", "2\n# be_id\n", tooLong] {
            try withUploaded(systemctl: "active\n") { (instances, runner, base) throws in
                let socket = try OneAnswerSocket(path: instances.statsSocket(id), reply: reply)
                defer { socket.close() }
                #expect(try instances.perform(.reload, on: id, context: context) == "Listener \(id) reloaded")
                #expect(socket.asked() == "show servers state\n", "\(reply.prefix(40))")
                #expect(runner.calls.withLock { $0 } == [.systemctl(.status, .haproxy(id)), .systemctl(.reload, .haproxy(id))], "\(reply.prefix(40))")
                #expect(!FileManager.default.fileExists(atPath: "\(base)/\(id)/servers-state"), "\(reply.prefix(40))")
            }
        }
    }

    @Test("stop asks systemd nothing but to stop")
    func stopAsksNoStatus() throws {
        try withUploaded(systemctl: "inactive\n") { (instances, runner, base) throws in
            #expect(try instances.perform(.stop, on: id, context: context) == "Listener \(id) stopped")
            #expect(runner.calls.withLock { $0 } == [.systemctl(.stop, .haproxy(id)), .systemctl(.disable, .haproxy(id))])
        }
    }

    @Test("haproxy does not answer but systemd says active: reloaded without server state")
    func activeButSilent() throws {
        try withUploaded(systemctl: "active\n") { (instances, runner, base) throws in
            #expect(try instances.perform(.reload, on: id, context: context) == "Listener \(id) reloaded")
            #expect(runner.calls.withLock { $0 } == [.systemctl(.status, .haproxy(id)), .systemctl(.reload, .haproxy(id))])
            #expect(!FileManager.default.fileExists(atPath: "\(base)/\(id)/servers-state"))
        }
    }

    @Test("haproxy does not answer and systemd says inactive: the reload starts it")
    func inactive() throws {
        try withUploaded(systemctl: "inactive\n") { (instances, runner, base) throws in
            // Nothing comes up behind the recording runner: the start is a 500 once systemd says it is not running.
            #expect(wireError { _ = try instances.perform(.reload, on: id, context: context) }?.message == "Error starting haproxy")
            #expect(Array(runner.calls.withLock { $0 }.prefix(4)) == [
                .systemctl(.status, .haproxy(id)), .systemctl(.enable, .haproxy(id)), .systemctl(.start, .haproxy(id)),
                .systemctl(.status, .haproxy(id)),
            ])
            #expect(!FileManager.default.fileExists(atPath: "\(base)/\(id)/servers-state"))
        }
    }
}

/// A Unix socket at `path` that answers one connection with `reply` and closes it, as haproxy's
/// stats socket does; what it was asked is kept.
final class OneAnswerSocket: Sendable {
    let fd: Int32
    let request = LockedValue<String?>(nil)
    let done = LockedValue(false)

    init(path: String, reply: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        try #require(fd >= 0)
        do {
            guard let address = UnixSocketAddress(path: path) else { throw SystemError("bind", errno: ENAMETOOLONG, subject: path) }
            try address.bind(fd)
            guard listen(fd, 1) == 0 else { throw SystemError("listen", subject: path) }
        } catch {
            Glibc.close(fd)
            throw error
        }
        let (listening, request, done) = (fd, request, done)
        Thread.detachNewThread {
            defer { done.withLock { $0 = true } }
            let connection = accept(listening, nil, nil)
            guard connection >= 0 else { return }
            var buffer = [UInt8](repeating: 0, count: 256)
            let n = recv(connection, &buffer, buffer.count, 0)
            request.withLock { $0 = String(decoding: buffer.prefix(max(n, 0)), as: UTF8.self) }
            _ = Array(reply.utf8).withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            Glibc.close(connection)
        }
    }

    /// What the one connection asked, once answered; nil when none came within 20 s.
    func asked() -> String? {
        let deadline = Date().addingTimeInterval(20)
        while !done.withLock({ $0 }), Date() < deadline { usleep(1_000) }
        return request.withLock { $0 }
    }

    /// Stops listening; wakes the thread if no connection came.
    func close() {
        shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
    }
}
