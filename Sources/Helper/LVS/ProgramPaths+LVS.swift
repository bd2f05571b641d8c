import AgentConfig
import Glibc
import IPCProtocol

extension ProgramPaths {
    /// The directory of UDP listener configurations (upstream's `<base_path>/lvs`).
    public var lvsDirectory: String { StateLayout(basePath: basePath).lvsDirectory }
    /// A UDP listener's keepalived configuration.
    public func lvsConfigFile(_ id: ResourceID) -> String { StateLayout(basePath: basePath).lvsConfig(id) }
    /// The nftables ruleset of `PUT /1.0/interface/:ip/rules` (upstream: `/var/lib/octavia/nftables-vip.rules`).
    public var nftablesRulesFile: String { StateLayout(basePath: basePath).nftablesRules }
}
