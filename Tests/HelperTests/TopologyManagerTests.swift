import Foundation
import IPCProtocol
import LinuxSystem
import ProgramLauncher
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
        try withManager(runner: RecordingRunner(exitCode: exitCode), body)
    }

    /// A manager on a fresh base directory with `runner`.
    func withManager<Runner: CommandRunning>(runner: Runner, _ body: (TopologyManager, Runner, String) throws -> Void) throws {
        try withTemporaryDirectory("amp-topology") { base in
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

    @Test("before a stored configuration is checked again, a removed or changed check script is written again; an unsafe path is refused, no check runs")
    func recheckRestoresTheScript() throws {
        try withManager { manager, runner, base in
            _ = try manager.upload(try rendered(base), context: context)
            let script = base + "/vrrp/check_script.sh"
            let written = try String(contentsOfFile: script, encoding: .utf8)
            #expect(unlink(script) == 0)
            try manager.recheckStored(context: context)
            #expect(try String(contentsOfFile: script, encoding: .utf8) == written)
            try "#!/bin/sh\nexit 0\n".write(toFile: script, atomically: true, encoding: .utf8)
            try manager.recheckStored(context: context)
            #expect(try String(contentsOfFile: script, encoding: .utf8) == written)
            chmod(script, 0o600)  // the right text, but keepalived would not run it
            try manager.recheckStored(context: context)
            #expect((try FileManager.default.attributesOfItem(atPath: script)[.posixPermissions] as? Int) == 0o700)
            // keepalived (root) would disable a script under a directory others may write: refused before any check.
            runner.calls.withLock { $0 = [] }
            chmod(base + "/vrrp", 0o777)
            let error = wireError { try manager.recheckStored(context: context) }
            #expect(error?.message == "keepalived would not run the VRRP check script")
            #expect(error?.details == "\(base)/vrrp is writable by others than root")
            #expect(runner.calls.withLock { $0 }.isEmpty)
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

    /// `ip -j addr show` of an amphora namespace with eth1 on 203.0.113.0/24.
    static let eth1Addresses = #"[{"ifname":"lo","addr_info":[{"local":"127.0.0.1","prefixlen":8}]},{"ifname":"eth1","addr_info":[{"local":"203.0.113.11","prefixlen":24}]}]"#

    func activeStandby(haIP: String) throws -> TopologyChange {
        try TopologyChange(topology: .activeStandby, role: .active, haIP: try IPAddress(validating: haIP), secret: "s3cret")
    }

    @Test("ACTIVE-STANDBY with an ha_ip on no plugged interface's subnet: 400 naming ha_ip, nothing started, the failure reported")
    func haIPOnNoPluggedSubnet() throws {
        try withManager(runner: ScriptedRunner { _ in (0, Self.eth1Addresses) }) { manager, runner, base in
            let error = wireError { _ = try manager.change(try activeStandby(haIP: "198.51.100.5"), context: context) }
            #expect(error == CommandError(.badRequest, "Invalid request", details: "ha_ip 198.51.100.5 is not on the subnet of any plugged interface"))
            let state = manager.current
            #expect(state.status == .ok && state.topology == .single)
            let expected = TopologyFailure(
                topology: .activeStandby, role: .active, haIP: try IPAddress(validating: "198.51.100.5"), message: "Invalid request",
                details: "ha_ip 198.51.100.5 is not on the subnet of any plugged interface")
            #expect(state.lastFailure == expected)
            // Only the address lookup ran: no keepalived check, no service.
            #expect(runner.calls.withLock { $0 }.allSatisfy { if case .ip = $0 { true } else { false } })
            #expect(!FileManager.default.fileExists(atPath: base + "/vrrp/octavia-keepalived.conf"))
            #expect(!FileManager.default.fileExists(atPath: base + "/topology.json"))
        }
    }

    @Test("ACTIVE-STANDBY with an ha_ip keepalived must not own: the subnet's network or broadcast address, a plugged port's own address: 400")
    func haIPThatIsNoVIP() throws {
        try withManager(runner: ScriptedRunner { _ in (0, Self.eth1Addresses) }) { manager, runner, base in
            // The VIP port's VRRP address, recorded by its plug.
            let vip = try SubnetAddress(
                address: IPAddress(validating: "203.0.113.100"), subnet: CIDR(validating: "203.0.113.0/24"), gateway: nil, hostRoutes: [])
            let plug = try VIPPlug(
                vip: vip, mac: MACAddress(validating: "fa:16:3e:00:00:01"), vrrpAddress: IPAddress(validating: "203.0.113.11"), mtu: nil,
                additionalVIPs: [])
            try manager.network.record(NetworkConfigurator.Record(interface: "eth1", mac: plug.mac, vip: plug, network: nil), in: manager.network.recordFile(), context)
            for (haIP, reason) in [
                ("203.0.113.0", "is the network or broadcast address of 203.0.113.0/24"),
                ("203.0.113.255", "is the network or broadcast address of 203.0.113.0/24"),
                ("203.0.113.11", "is an address of the amphora's own port, not a VIP"),
            ] {
                let error = wireError { _ = try manager.change(try activeStandby(haIP: haIP), context: context) }
                #expect(error == CommandError(.badRequest, "Invalid request", details: "ha_ip \(haIP) \(reason)"))
            }
            #expect(manager.current.topology == .single)
            #expect(runner.calls.withLock { $0 }.allSatisfy { if case .ip = $0 { true } else { false } })
            #expect(!FileManager.default.fileExists(atPath: base + "/vrrp/octavia-keepalived.conf"))
        }
    }

    @Test("a transition that fails in the background is rolled back and reported until a later one succeeds")
    func backgroundFailureReported() throws {
        // eth1 is on ha_ip's subnet, but keepalived --config-test refuses the rendering.
        let refusing = ScriptedRunner { command in
            if case .keepalivedCheck = command { return (1, "") }
            return (0, Self.eth1Addresses)
        }
        try withManager(runner: refusing) { manager, _, _ in
            let accepted = try manager.change(try activeStandby(haIP: "203.0.113.100"), context: context)
            #expect(accepted.status == .changing)
            #expect(settles(manager))
            let state = manager.current
            #expect(state.topology == .single)
            #expect(state.lastFailure?.haIP?.description == "203.0.113.100")
            #expect(state.lastFailure?.message == "Invalid request")

            // A later transition that succeeds clears it.
            _ = try manager.change(try TopologyChange(topology: .single, role: nil, haIP: nil, secret: nil), context: context)
            #expect(settles(manager))
            #expect(manager.current.lastFailure == nil)
        }
    }

    /// Whether the background transition finished (status OK again) within a generous bound.
    func settles(_ manager: TopologyManager) -> Bool {
        for _ in 0..<600 {
            if manager.current.status == .ok { return true }
            usleep(10_000)
        }
        return false
    }
}

/// A runner that answers each command as `answer` says (exit status, stdout), recording the calls.
final class ScriptedRunner: CommandRunning {
    let calls = LockedValue<[LaunchCommand]>([])
    let answer: @Sendable (LaunchCommand) -> (Int32, String)

    init(_ answer: @escaping @Sendable (LaunchCommand) -> (Int32, String)) { self.answer = answer }

    func run(_ command: LaunchCommand, context: AuditContext, deadlineMilliseconds: Int) throws(CommandError) -> LaunchResult {
        calls.withLock { $0.append(command) }
        let (status, stdout) = answer(command)
        return LaunchResult(
            id: 1, argv: [], exitCode: status, signal: nil, timedOut: false, stdout: stdout, stderr: status == 0 ? "" : "refused",
            outputTruncated: false, durationMicroseconds: 1, refusal: nil)
    }
}
