import Foundation
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

    /// Instances on `base` with an uploaded (checked) configuration; the runner's record starts after the upload.
    func uploaded(_ base: String, _ runner: RecordingRunner) throws -> HAProxyInstances {
        let instances = try makeInstances(on: base, runner: runner)
        _ = try instances.upload(upload(octavia(base)), context: context)
        runner.calls.withLock { $0 = [] }
        return instances
    }

    @Test("haproxy answers: its server state is saved and it is reloaded, one systemctl call in all", .timeLimit(.minutes(1)))
    func answering() throws {
        try withTemporaryDirectory("amp-state") { base in
            let runner = RecordingRunner(stdout: "active\n")
            let instances = try uploaded(base, runner)
            let haproxy = try StatsOnlyHAProxy(base: base, id: id)
            defer { haproxy.kill() }
            while !HAProxyStatsSocket.isAnswering(instances.statsSocket(id), timeoutSeconds: 1) { usleep(20_000) }
            #expect(try instances.perform(.reload, on: id, context: context) == "Listener \(id) reloaded")
            #expect(runner.calls.withLock { $0 } == [.systemctl(.reload, .haproxy(id))])
            let state = try String(contentsOfFile: "\(base)/\(id)/servers-state", encoding: .utf8)
            #expect(state.hasPrefix("1\n# be_id"))
            #expect(state.contains(" be ") && state.contains(" s1 "))
        }
    }

    @Test("haproxy does not answer but systemd says active: reloaded without server state")
    func activeButSilent() throws {
        try withTemporaryDirectory("amp-state") { base in
            let runner = RecordingRunner(stdout: "active\n")
            let instances = try uploaded(base, runner)
            #expect(try instances.perform(.reload, on: id, context: context) == "Listener \(id) reloaded")
            #expect(runner.calls.withLock { $0 } == [.systemctl(.status, .haproxy(id)), .systemctl(.reload, .haproxy(id))])
            #expect(!FileManager.default.fileExists(atPath: "\(base)/\(id)/servers-state"))
        }
    }

    @Test("haproxy does not answer and systemd says inactive: the reload starts it")
    func inactive() throws {
        try withTemporaryDirectory("amp-state") { base in
            let runner = RecordingRunner(stdout: "inactive\n")
            let instances = try uploaded(base, runner)
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
