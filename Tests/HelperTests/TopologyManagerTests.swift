import Foundation
import IPCProtocol
import LinuxSystem
import ProgramLauncher
import Synchronization
import Testing

@testable import Helper

/// The VRRP side of the topology manager with a recording runner: which commands run, which files
/// stay, and the wire errors of its refusals. keepalived itself runs in the integration tests.
@Suite("topology manager")
struct TopologyManagerTests {
    let amphora = try! ResourceID(validating: "7a1c0b4e-2f4d-4e57-9c3e-0c8d1b2a3f40")
    let context = AuditContext.forTests()

    /// A manager on a fresh base directory, whose runner exits with `exitCode`.
    func withManager(exitCode: Int32 = 0, _ body: (TopologyManager, RecordingRunner, String) throws -> Void) throws {
        try withTemporaryDirectory("amp-topology") { base in
            let runner = RecordingRunner(exitCode: exitCode)
            let directory = try SafeDirectory.open(base, create: false)
            let manager = TopologyManager(
                base: directory, basePath: base, runner: runner, services: SystemdServiceManager(runner: runner),
                network: NetworkConfigurator(netns: try InterfaceName(validating: "amphora-haproxy"), base: directory, runner: runner, activeStandby: true),
                audit: try AuditLog(path: base + "/audit.log"), helperExecutable: "/usr/bin/amphora-helper", amphoraID: amphora,
                configuredTopology: "SINGLE")
            try body(manager, runner, base)
        }
    }

    func rendered(_ base: String) throws -> String {
        TopologyManager.renderKeepalived(
            amphoraID: amphora, basePath: base, role: .active, haIP: try IPAddress(validating: "203.0.113.100"), prefixLength: 24,
            interface: "eth1", secret: "s3cret")
    }


    @Test("an accepted upload is promoted with its check script; the check ran on the candidate")
    func uploadAccepted() throws {
        try withManager { manager, runner, base in
            let text = try rendered(base)
            #expect(try manager.upload(text, context: context) == Digest.md5Hex(text.utf8))
            #expect(FileManager.default.fileExists(atPath: base + "/vrrp/octavia-keepalived.conf"))
            #expect(!FileManager.default.fileExists(atPath: base + "/vrrp/octavia-keepalived.conf.new"))
            let script = try FileManager.default.attributesOfItem(atPath: base + "/vrrp/check_script.sh")
            #expect((script[.posixPermissions] as? Int) == 0o700)
            let netns = try InterfaceName(validating: "amphora-haproxy")
            #expect(runner.calls.withLock { $0 } == [.keepalivedCheck(netns: netns, candidate: true)])
        }
    }

    @Test("a configuration keepalived --config-test refuses: 400, kept as .new-failed, nothing active")
    func uploadRefusedByConfigTest() throws {
        try withManager(exitCode: 1) { manager, _, base in
            let error = wireError { _ = try manager.upload(try rendered(base), context: context) }
            #expect(error?.code == .badRequest)
            #expect(error?.message == "Invalid request")
            #expect(FileManager.default.fileExists(atPath: base + "/vrrp/octavia-keepalived.conf.new-failed"))
            #expect(!FileManager.default.fileExists(atPath: base + "/vrrp/octavia-keepalived.conf"))
        }
    }

    @Test("a text the VRRP allow-list refuses never reaches keepalived")
    func uploadRefusedByPolicy() throws {
        try withManager { manager, runner, base in
            let error = wireError { _ = try manager.upload("global_defs {\n    script_user nobody\n}\n", context: context) }
            #expect(error?.code == .badRequest)
            #expect(error?.message == "Invalid request")
            #expect(runner.calls.withLock { $0 }.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: base + "/vrrp/octavia-keepalived.conf.new"))
        }
    }

    @Test("start without an uploaded configuration: 500 Failed to start keepalived service, nothing runs")
    func startWithoutConfiguration() throws {
        try withManager { manager, runner, _ in
            #expect(wireError { _ = try manager.perform(.start, context: context) } == CommandError(
                .internalError, "Failed to start keepalived service: No keepalived configuration has been uploaded",
                details: "No keepalived configuration has been uploaded"))
            #expect(runner.calls.withLock { $0 }.isEmpty)
        }
    }

    @Test("stop asks the service manager (systemctl stop and disable); its failure becomes Failed to stop keepalived service: <reason>")
    func stop() throws {
        try withManager { manager, runner, _ in
            let answer = try manager.perform(.stop, context: context)
            #expect(answer == "keepalived stopped")
            // systemd: stop, then disable.
            #expect(runner.calls.withLock { $0 } == [.systemctl(.stop, .keepalived), .systemctl(.disable, .keepalived)])
        }
        try withManager(exitCode: 1) { manager, _, _ in
            let error = wireError { _ = try manager.perform(.stop, context: context) }
            #expect(error?.code == .internalError)
            #expect(error?.message.hasPrefix("Failed to stop keepalived service: ") == true)
        }
    }
}
