import Glibc
import IPCProtocol

extension ProgramPaths {
    /// The directory of UDP listener configurations (upstream's `<base_path>/lvs`).
    public var lvsDirectory: String { basePath + "/" + LVSListeners.directoryName }
    /// A UDP listener's keepalived configuration.
    public func lvsConfigFile(_ id: ResourceID) -> String { lvsDirectory + "/" + LVSListeners.configName(id) }
    /// The nftables ruleset of `PUT /1.0/interface/:ip/rules` (upstream: `/var/lib/octavia/nftables-vip.rules`).
    public var nftablesRulesFile: String { basePath + "/" + InterfaceRulesApplier.rulesFileName }
}
