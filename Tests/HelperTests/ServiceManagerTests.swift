import AgentConfig
import Helper
import IPCProtocol
import LinuxSystem
import Testing
@testable import LinuxSystem
@testable import ProgramLauncher

/// A runner that records what it is asked to run and answers with canned results.
final class RecordingRunner: CommandRunning {
    let calls = LockedValue<[LaunchCommand]>([])
    let exitCode: Int32
    let stdout: String

    init(exitCode: Int32 = 0, stdout: String = "") {
        self.exitCode = exitCode
        self.stdout = stdout
    }

    func run(_ command: LaunchCommand, context: AuditContext, deadlineMilliseconds: Int) throws(CommandError) -> LaunchResult {
        calls.withLock { $0.append(command) }
        return LaunchResult(
            id: 1, argv: [], exitCode: exitCode, signal: nil, timedOut: false, stdout: stdout, stderr: exitCode == 0 ? "" : "unit failed",
            outputTruncated: false, durationMicroseconds: 1, refusal: nil)
    }
}

@Suite("systemd service manager")
struct SystemdServiceManagerTests {
    let paths = ProgramPaths(haproxy: "/usr/sbin/haproxy", keepalived: "/usr/sbin/keepalived", basePath: "/var/lib/octavia")
    let id = try! ResourceID(validating: "7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b")
    let context = AuditContext.forTests()

    @Test("units that name other paths than the configuration: no start, enable or reload; stop and status still run")
    func mismatchedUnitsRunNothing() throws {
        let runner = RecordingRunner(stdout: "active\n")
        let mismatch = try AgentConfiguration(amphoraID: "7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b", basePath: "/srv/octavia").systemdUnitsMismatch
        #expect(mismatch == "[haproxy_amphora] base_path is /srv/octavia; the systemd units use /var/lib/octavia")
        #expect(try AgentConfiguration(amphoraID: "7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b").systemdUnitsMismatch == nil)
        let manager = SystemdServiceManager(runner: runner, unitsMismatch: mismatch)
        for operation in [DaemonOperation.start, .reload, .enable] {
            let error = wireError { _ = try manager.perform(operation, .haproxy(id), context: context) }
            #expect(error?.details == "systemd would run other files than the helper checks: \(mismatch ?? "")")
        }
        #expect(runner.calls.withLock { $0 }.isEmpty)
        _ = try manager.perform(.stop, .haproxy(id), context: context)
        _ = try manager.perform(.status, .haproxy(id), context: context)
        #expect(runner.calls.withLock { $0 }.count == 3)  // stop, disable, is-active
    }

    @Test("operations become exact systemctl argv arrays for the instance's unit; start enables, stop disables")
    func argv() throws {
        let runner = RecordingRunner(stdout: "active\n")
        let manager = SystemdServiceManager(runner: runner)
        for operation in [DaemonOperation.start, .reload, .stop, .status] {
            _ = try manager.perform(operation, .haproxy(id), context: context)
        }
        let argv = runner.calls.withLock { $0 }.map { [$0.program.rawValue] + $0.arguments(paths) }
        #expect(argv == [
            ["systemctl", "enable", "--", "haproxy@\(id).service"],
            ["systemctl", "start", "--", "haproxy@\(id).service"],
            ["systemctl", "reload", "--", "haproxy@\(id).service"],
            ["systemctl", "stop", "--", "haproxy@\(id).service"],
            ["systemctl", "disable", "--", "haproxy@\(id).service"],
            ["systemctl", "is-active", "--", "haproxy@\(id).service"],
        ])
        #expect(try manager.perform(.status, .keepalived, context: context).running)
        #expect(runner.calls.withLock { $0 }.last.map { $0.arguments(paths) } == ["is-active", "--", "octavia-keepalived.service"])
    }

    @Test("a failing unit is an error carrying systemctl's words; an inactive unit is not running")
    func failures() {
        let manager = SystemdServiceManager(runner: RecordingRunner(exitCode: 3, stdout: "inactive\n"))
        #expect(throws: ServiceError.self) { try manager.perform(.start, .haproxy(id), context: context) }
        #expect((try? manager.perform(.status, .haproxy(id), context: context))?.running == false)
    }
}

@Suite("haproxy configuration text")
struct HAProxyConfigTextTests {
    @Test("upstream's peer name vector")
    func peerName() throws {
        #expect(HAProxyConfigText.peerName(forAmphora: try ResourceID(validating: "7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b")) == "EE3v2UmeRW_VxB6HdRB6JFkHvtU")
    }

    @Test("stats socket added only when missing; group lines dropped; frontends typed")
    func augmentation() {
        let text = "global\n    group haproxy\n    maxconn 10\ndefaults\n    mode http\nfrontend a\n    bind :80\nfrontend b\n    mode tcp\n    bind :81\nfrontend c\n    bind :443 ssl crt-list /x\n"
        let prepared = HAProxyConfigText.ensuringStatsSocket(HAProxyConfigText.strippingGroupLines(text), path: "/b/x.sock")
        #expect(prepared.hasPrefix("global\n    stats socket /b/x.sock mode 0600 level admin\n    maxconn 10\n"))
        #expect(HAProxyConfigText.statsSocketPath(in: prepared) == "/b/x.sock")
        #expect(HAProxyConfigText.ensuringStatsSocket(prepared, path: "/other") == prepared)
        #expect(HAProxyConfigText.frontends(in: text).map(\.type) == ["HTTP", "TCP", "TERMINATED_HTTPS"])
        #expect(HAProxyConfigText.ensuringStatsSocket("defaults\n", path: "/s").hasPrefix("global\n    stats socket /s"))
    }
}

@Suite("network announcements")
struct AnnouncementTests {
    let paths = ProgramPaths(haproxy: "/usr/sbin/haproxy", keepalived: "/usr/sbin/keepalived", basePath: "/var/lib/octavia")

    @Test("gratuitous ARP and unsolicited NA run inside the amphora namespace with fixed argument shapes")
    func shapes() throws {
        let netns = try InterfaceName(validating: "amphora-haproxy")
        let eth1 = try InterfaceName(validating: "eth1")
        let arp = LaunchCommand.gratuitousARP(netns: netns, interface: eth1, address: try IPAddress(validating: "203.0.113.5"))
        #expect(arp.program == .arping)
        #expect(arp.namespace == netns)
        #expect(arp.arguments(paths) == ["-U", "-c", "2", "-w", "2", "-I", "eth1", "203.0.113.5"])
        let na = LaunchCommand.unsolicitedNA(netns: netns, interface: eth1, address: try IPAddress(validating: "2001:DB8::5"))
        #expect(na.program == .na6)
        #expect(na.namespace == netns)
        #expect(na.arguments(paths) == ["-i", "eth1", "-s", "2001:db8::5", "-d", "ff02::1", "-t", "2001:db8::5", "-o", "-e"])
        #expect(throws: Never.self) { try na.checkArguments(paths) }
    }
}

@Suite("program allow-lists from policy/")
struct ProgramAllowListTests {
    @Test("haproxy and keepalived lists are compiled in, with base_path substituted")
    func embedded() {
        let haproxy = ProgramAllowList.embedded("haproxy-programs.txt", basePath: "/b")
        #expect(haproxy.paths == ["/b/ping-wrapper.sh", "/var/lib/octavia/ping-wrapper.sh"])
        let keepalived = try? VRRPConfigPolicy.embedded(basePath: "/b")
        #expect(keepalived?.scripts.contains("/b/vrrp/check_script.sh") == true)
        #expect(keepalived?.scripts.contains("/bin/sh") == false)
    }
}
