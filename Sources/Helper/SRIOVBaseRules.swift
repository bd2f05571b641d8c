import IPCProtocol

/// The nftables ruleset an SR-IOV port gets when it is plugged (`is_sriov`): a virtual function
/// bypasses Neutron's security groups, so upstream's `InterfaceController.up` writes a "drop all"
/// ruleset (only ICMP for PMTU discovery, neighbour discovery and DHCP replies pass) unless a
/// ruleset file already exists, and loads the file; the controller's `PUT /interface/:ip/rules`
/// then opens the listeners' ports. Unlike upstream's, the text first replaces any table of the
/// same name, so loading it again does not stack duplicate rules.
enum SRIOVBaseRules {
    static var ruleset: String {
        let table = InterfaceRulesApplier.table
        return [
            "table inet \(table) {}",
            "delete table inet \(table)",
            "table inet \(table) {",
            "  chain \(InterfaceRulesApplier.chain) {",
            "    type filter hook input priority filter; policy drop;",
            "      icmp type destination-unreachable accept",
            "      icmpv6 type { nd-neighbor-solicit, nd-router-advert, nd-neighbor-advert, packet-too-big, destination-unreachable } accept",
            "      udp sport 67 udp dport 68 accept",
            "      udp sport 547 udp dport 546 accept",
            "  }",
            "}",
        ].joined(separator: "\n") + "\n"
    }
}
