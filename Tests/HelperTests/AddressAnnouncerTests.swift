import Foundation
import IPCProtocol
import LinuxSystem
import ProgramLauncher
import Testing

@testable import Helper

/// Announcements as upstream's `send_vip_advertisements` makes them: the interface holding each VIP
/// found with one `ip -j addr show`, SINGLE topology only.
@Suite("address announcer")
struct AddressAnnouncerTests {
    let context = AuditContext.forTests()
    let netns = try! InterfaceName(validating: "amphora-haproxy")

    @Test("SINGLE: gratuitous ARP for an IPv4 VIP, unsolicited NA for an IPv6 one, on the interface holding it; each once; unknown VIPs skipped")
    func announcesVIPs() throws {
        let runner = RecordingRunner(stdout: NetworkConfiguratorTests.ipJSON)
        let announcer = AddressAnnouncer(netns: netns, runner: runner, activeStandby: false)
        let v4 = try IPAddress(validating: "192.0.2.10"), v6 = try IPAddress(validating: "2001:db8::10")
        announcer.announceVIPs([v4, v6, v4, try IPAddress(validating: "203.0.113.77")], context: context)
        let eth1 = try InterfaceName(validating: "eth1")
        #expect(runner.calls.withLock { $0 } == [
            .ip(.listAddresses(netns: netns)),
            .gratuitousARP(netns: netns, interface: eth1, address: v4),
            .unsolicitedNA(netns: netns, interface: eth1, address: v6),
        ])
    }

    @Test("ACTIVE_STANDBY: nothing (keepalived announces the VIP when it becomes MASTER); a failed listing: nothing")
    func activeStandbyAndFailures() throws {
        let v4 = try IPAddress(validating: "192.0.2.10")
        let standby = RecordingRunner(stdout: NetworkConfiguratorTests.ipJSON)
        AddressAnnouncer(netns: netns, runner: standby, activeStandby: true).announceVIPs([v4], context: context)
        #expect(standby.calls.withLock { $0 }.isEmpty)
        let failing = RecordingRunner(exitCode: 1, stdout: NetworkConfiguratorTests.ipJSON)
        AddressAnnouncer(netns: netns, runner: failing, activeStandby: false).announceVIPs([v4], context: context)
        #expect(failing.calls.withLock { $0 } == [.ip(.listAddresses(netns: netns))])
    }
}
