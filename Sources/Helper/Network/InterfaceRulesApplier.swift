import AgentConfig
import IPCProtocol
import LinuxSystem
import ProgramLauncher

/// `PUT /1.0/interface/:ip/rules`: renders the controller's rules into one nftables ruleset, table
/// `inet amphora_table` as upstream writes it (`nftable_utils.write_nftable_rules_file`), stores it in
/// `<base_path>/nftables-vip.rules` (0600) and loads it atomically with `nft -o -f` inside the amphora
/// namespace through the launcher.
///
/// The input chain drops everything except conntrack-established traffic, loopback, ICMP needed for
/// PMTU discovery and neighbour discovery, DHCP replies, and, on the interface holding the address,
/// exactly what the rules accept.
public final class InterfaceRulesApplier: Sendable {
    public static let table = "amphora_table"
    public static let chain = "amphora_chain"
    public static let vipChain = "amphora_vip_chain"

    let base: SafeDirectory
    let netns: InterfaceName
    let runner: any CommandRunning
    let network: NetworkConfigurator
    let lock = LockedValue(())

    public init(base: SafeDirectory, netns: InterfaceName, runner: any CommandRunning, network: NetworkConfigurator) {
        self.base = base
        self.netns = netns
        self.runner = runner
        self.network = network
    }

    /// The lines that replace any previous table (in one transaction) and open its input chain,
    /// which drops what no statement accepts.
    static let openingLines = [
        // Creating then deleting the table makes the delete succeed when the table does not exist yet.
        "table inet \(table) {}",
        "delete table inet \(table)",
        "table inet \(table) {",
        "  chain \(chain) {",
        "    type filter hook input priority filter; policy drop;",
    ]

    /// What every ruleset of the table accepts: loopback (not spoofed from outside), ICMP for PMTU
    /// discovery, neighbour discovery and DHCP replies.
    static let baseAccepts = [
        "      iif lo accept",
        "      ip saddr 127.0.0.0/8 drop",
        "      ip6 saddr ::1 drop",
        "      icmp type destination-unreachable accept",
        "      icmpv6 type { nd-neighbor-solicit, nd-router-advert, nd-neighbor-advert, packet-too-big, destination-unreachable } accept",
        "      udp sport 67 udp dport 68 accept",
        "      udp sport 547 udp dport 546 accept",
    ]

    /// The ruleset text for `rules` on `interface`. Replaces any previous table in one transaction.
    public static func ruleset(interface: String, rules: [InterfaceRule]) -> String {
        var lines = openingLines + ["      ct state vmap { established : accept, related : accept, invalid : drop }"] + baseAccepts
        lines += [
            "      iifname \(interface) goto \(vipChain)",
            "  }",
            "  chain \(vipChain) {",
        ]
        for rule in rules { lines.append("      " + statement(rule)) }
        lines += ["  }", "}"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// One accept statement, as upstream's `_build_rule_cmd` renders it.
    static func statement(_ rule: InterfaceRule) -> String {
        var source = ""
        if let cidr = rule.cidr, cidr.description != "0.0.0.0/0" {
            source = (cidr.network.family == .v4 ? "ip saddr " : "ip6 saddr ") + cidr.description + " "
        }
        switch rule.ruleProtocol {
        case .tcp: return "\(source)tcp dport \(rule.port) accept"
        case .udp: return "\(source)udp dport \(rule.port) accept"
        case .sctp: return "\(source)sctp dport \(rule.port) accept"
        case .vrrp: return "\(source)ip protocol 112 accept"
        }
    }

    /// Finds the interface (404 as `GET /interface/:ip` does), writes and loads the ruleset.
    public func apply(_ request: InterfaceRules, context: AuditContext) throws(NetworkError) -> String {
        guard request.rules.count <= InterfaceRules.maximumRules else {
            throw .tooManyRules
        }
        let interface = try network.interface(for: request.address, context: context)
        // Re-validated: the name comes from the kernel and goes into the ruleset text.
        guard let name = try? InterfaceName(validating: interface) else {
            throw .unexpectedInterfaceName(interface)
        }
        let text = Self.ruleset(interface: name.description, rules: request.rules)
        return try lock.withLock { _ throws(NetworkError) -> String in
            do throws(FileChangeError) {
                try AuditedDirectory(directory: base, context: context).write(StateLayout.nftablesRulesFile, Array(text.utf8), mode: 0o600)
            } catch {
                throw error.wrapped(refused: NetworkError.launcher, failed: NetworkError.rulesNotWritten)
            }
            let result = try runner.run(.nftLoad(netns: netns), context: context, deadlineMilliseconds: 30_000, or: NetworkError.launcher)
            guard result.succeeded else {
                throw .rulesNotLoaded(details: ToolFailure.summary(result, tool: "nft"))
            }
            return name.description
        }
    }
}
