import IPCProtocol

/// The nftables ruleset an SR-IOV port gets when it is plugged (`is_sriov`): a virtual function
/// bypasses Neutron's security groups, so upstream's `InterfaceController.up` writes a "drop all"
/// ruleset (only ICMP for PMTU discovery, neighbour discovery and DHCP replies pass) unless a
/// ruleset file already exists, and loads the file; the controller's `PUT /interface/:ip/rules`
/// then opens the listeners' ports. Unlike upstream's, the text first replaces any table of the
/// same name, so loading it again does not stack duplicate rules, and it accepts loopback traffic
/// (as upstream's full ruleset does): the amphora's own local connections (haproxy to a local
/// backend, health checks) keep working before the rules arrive; nothing from outside is opened.
enum SRIOVBaseRules {
    static var ruleset: String {
        (InterfaceRulesApplier.openingLines + InterfaceRulesApplier.baseAccepts + ["  }", "}"]).joined(separator: "\n") + "\n"
    }
}
