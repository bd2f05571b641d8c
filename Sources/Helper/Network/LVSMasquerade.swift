import AgentConfig
import IPCProtocol
import LinuxSystem
import ProgramLauncher

/// Upstream's `lvs-masquerade.sh`, which every plugged port's interface file runs when it comes up
/// (`add ipv4|ipv6 <interface> [sriov]`), as one nftables ruleset the helper renders itself:
///
/// - UDP and SCTP leaving a plugged interface are masqueraded (source NAT to the interface's
///   address), so a member answers IPVS's forwarded datagrams to the amphora even when its
///   default route does not go back through it (LVS NAT mode otherwise needs that route);
/// - TCP on a plugged interface is not tracked (`notrack` in prerouting and output at raw
///   priority): haproxy terminates TCP, conntrack would only cost memory; an SR-IOV port keeps
///   tracking, because its "drop all" input chain accepts only tracked return traffic.
///
/// Tables `ip octavia-ipv4` and `ip6 octavia-ipv6` with upstream's chain names, one rule per
/// interface and family its addresses have (a port without fixed addresses, DHCP, gets both).
/// Each load replaces both tables in one transaction (`nft -f`), so a replay after a restart
/// or a re-plug gives the same ruleset, never duplicates. Interface names come from the kernel via
/// the records and are validated (``InterfaceName``) before they reach the text.
public struct LVSMasquerade: Sendable {
    /// One plugged interface as the masquerade sees it.
    struct Port: Equatable, Sendable {
        var interface: InterfaceName
        var families: Set<IPFamily>
        var sriov: Bool
    }

    public static let ipv4Table = "octavia-ipv4"
    public static let ipv6Table = "octavia-ipv6"

    let base: SafeDirectory
    let netns: InterfaceName
    let runner: any CommandRunning

    init(base: SafeDirectory, netns: InterfaceName, runner: any CommandRunning) {
        self.base = base
        self.netns = netns
        self.runner = runner
    }

    /// The ruleset for `ports`: both tables replaced; a family no port has gets no table.
    static func ruleset(_ ports: [Port]) -> String {
        var lines: [String] = []
        for family in [IPFamily.v4, .v6] {
            let (nftFamily, table, prefix) = family == .v4 ? ("ip", ipv4Table, "ip") : ("ip6", ipv6Table, "ip6")
            // Creating then deleting the table makes the delete succeed when the table does not exist yet.
            lines += ["table \(nftFamily) \(table) {}", "delete table \(nftFamily) \(table)"]
            let members = ports.filter { $0.families.contains(family) }
            guard !members.isEmpty else { continue }
            let tracked = members.filter { !$0.sriov }
            lines.append("table \(nftFamily) \(table) {")
            for l4 in ["udp", "sctp"] {
                lines += ["  chain \(prefix)-\(l4)-masq {", "    type nat hook postrouting priority 100;"]
                lines += members.map { "    oifname \"\($0.interface)\" meta l4proto \(l4) masquerade" }
                lines.append("  }")
            }
            if !tracked.isEmpty {
                lines += ["  chain prerouting {", "    type filter hook prerouting priority -300;"]
                lines += tracked.map { "    iifname \"\($0.interface)\" meta l4proto tcp notrack" }
                lines += ["  }", "  chain output {", "    type filter hook output priority -300;"]
                lines += tracked.map { "    oifname \"\($0.interface)\" meta l4proto tcp notrack" }
                lines.append("  }")
            }
            lines.append("}")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the ruleset for `ports` to `<base_path>/nftables-masquerade.rules` (0600) and loads it
    /// inside the amphora namespace through the launcher.
    func apply(_ ports: [Port], context: AuditContext) throws(NetworkError) {
        do throws(FileChangeError) {
            try AuditedDirectory(directory: base, context: context).write(StateLayout.masqueradeRulesFile, Array(Self.ruleset(ports).utf8), mode: 0o600)
        } catch {
            throw error.wrapped(refused: NetworkError.launcher, failed: NetworkError.rulesNotWritten)
        }
        let result = try runner.run(.nftLoadMasquerade(netns: netns), context: context, deadlineMilliseconds: 30_000, or: NetworkError.launcher)
        guard result.succeeded else {
            throw .rulesNotLoaded(details: ToolFailure.summary(result, tool: "nft"))
        }
    }
}
