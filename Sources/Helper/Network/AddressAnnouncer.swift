import IPCProtocol
import LinuxSystem
import ProgramLauncher

/// Gratuitous ARP (IPv4) and unsolicited neighbour advertisements (IPv6) from the amphora
/// namespace, through the launcher (`arping -U`, `na6`), so that neighbours learn at once where an
/// address lives. Upstream's `ip_advertisement.send_ip_advertisement`, called from
/// `send_member_advertisements` (a plugged member port) and `send_vip_advertisements` (after
/// haproxy starts or reloads and after an LVS listener starts, SINGLE topology only: in
/// ACTIVE_STANDBY keepalived announces the VIP when it becomes MASTER).
///
/// Failures are in the audit log (the runner records every outcome) and otherwise ignored, as
/// upstream ignores them: an announcement is an optimisation, never a reason to fail a request.
public struct AddressAnnouncer: Sendable {
    let netns: InterfaceName
    let runner: any CommandRunning
    /// ACTIVE_STANDBY: ``announceVIPs(_:context:)`` leaves the VIPs to keepalived.
    let activeStandby: Bool

    public init(netns: InterfaceName, runner: any CommandRunning, activeStandby: Bool) {
        self.netns = netns
        self.runner = runner
        self.activeStandby = activeStandby
    }

    /// Announces each address on `interface` (which holds them).
    public func announce(_ addresses: [IPAddress], on interface: InterfaceName, context: AuditContext) {
        for address in addresses {
            let command: LaunchCommand = address.family == .v4
                ? .gratuitousARP(netns: netns, interface: interface, address: address)
                : .unsolicitedNA(netns: netns, interface: interface, address: address)
            _ = try? runner.run(command, context: context, deadlineMilliseconds: 5_000)
        }
    }

    /// Upstream's `send_vip_advertisements`: in SINGLE topology, announces each VIP on the
    /// interface of the amphora namespace that holds it (one `ip -j addr show`); a VIP no interface
    /// holds is skipped. Does nothing in ACTIVE_STANDBY. Duplicates are announced once.
    public func announceVIPs(_ vips: [IPAddress], context: AuditContext) {
        guard !activeStandby else { return }
        announceHeld(vips, context: context)
    }

    /// Announces each address on the interface of the amphora namespace that holds it, whatever the
    /// configured topology (the caller has checked the live one); addresses no interface holds are
    /// skipped, duplicates announced once.
    public func announceHeld(_ vips: [IPAddress], context: AuditContext) {
        guard !vips.isEmpty else { return }
        guard let result = try? runner.run(.ip(.listAddresses(netns: netns)), context: context, deadlineMilliseconds: 20_000),
            result.succeeded
        else { return }
        let held = NamespaceAddress.parse(result.stdout)
        var seen = Set<IPAddress>()
        for vip in vips where seen.insert(vip).inserted {
            // Re-validated: the name comes from the kernel and goes into a command line.
            guard let entry = held.first(where: { $0.address == vip }), let name = try? InterfaceName(validating: entry.interface) else {
                continue
            }
            announce([vip], on: name, context: context)
        }
    }
}
