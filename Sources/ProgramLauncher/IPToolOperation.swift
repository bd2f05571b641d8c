import IPCProtocol

/// The `ip` operations the agent performs, each a fixed argument shape over validated values.
/// Link names in the root namespace come from the kernel (`ip -j link`) and are re-validated as
/// ``InterfaceName`` before they are used. An operation "in NS" runs with the launcher having
/// entered the namespace (setns) before exec, not as `ip -n NS`: `ip -n` remounts /sys in a private
/// mount namespace, and the launcher's Landlock domain (rightly) forbids mount(2).
public enum IPToolOperation: Sendable, Codable, Equatable {
    /// `ip -j link show` (in NS, or in the root namespace when nil)
    case listLinks(netns: InterfaceName?)
    /// `ip -j addr show` (in NS, or in the root namespace when nil)
    case listAddresses(netns: InterfaceName?)
    /// `ip link set dev NAME netns NS` (in the root namespace)
    case moveToNamespace(link: InterfaceName, netns: InterfaceName)
    /// `ip link set dev NAME netns 1` in NS (back to the root namespace, on rollback)
    case moveToRoot(link: InterfaceName, netns: InterfaceName)
    /// `ip link set dev NAME name NEW` (in NS, or the root namespace when nil)
    case rename(netns: InterfaceName?, link: InterfaceName, to: InterfaceName)
    /// `ip link set dev NAME mtu N` in NS
    case setMTU(netns: InterfaceName, link: InterfaceName, mtu: MTU)
    /// `ip link set dev NAME up|down` in NS
    case setState(netns: InterfaceName, link: InterfaceName, up: Bool)
    /// `ip addr replace ADDR/PREFIX dev NAME` in NS
    case replaceAddress(netns: InterfaceName, link: InterfaceName, address: IPAddress, prefixLength: Int)
    /// `ip addr flush dev NAME` in NS
    case flushAddresses(netns: InterfaceName, link: InterfaceName)
    /// `ip addr del ADDR/PREFIX dev NAME` in NS
    case deleteAddress(netns: InterfaceName, link: InterfaceName, address: IPAddress, prefixLength: Int)
    /// `ip -4|-6 route replace DEST [via GW] dev NAME [onlink | scope link] [table T]` in NS (DEST nil =
    /// default); a route through a gateway is `onlink`, as upstream adds every gateway and next hop.
    case replaceRoute(netns: InterfaceName, destination: CIDR?, via: IPAddress?, link: InterfaceName, family: IPFamily, table: Int?)
    /// `ip -4|-6 route del DEST [via GW] dev NAME [table T]` in NS (DEST nil = default)
    case deleteRoute(netns: InterfaceName, destination: CIDR?, via: IPAddress?, link: InterfaceName, family: IPFamily, table: Int?)
    /// `ip -4|-6 rule add|del from ADDR table T priority P` in NS
    case rule(netns: InterfaceName, add: Bool, from: IPAddress, table: Int, priority: Int)

    /// The namespace the launcher enters before executing `ip` (nil: the root namespace).
    var namespace: InterfaceName? {
        switch self {
        case .listLinks(let netns), .listAddresses(let netns), .rename(let netns, _, _): return netns
        case .moveToNamespace: return nil
        case .moveToRoot(_, let netns), .setMTU(let netns, _, _), .setState(let netns, _, _),
            .replaceAddress(let netns, _, _, _), .flushAddresses(let netns, _), .replaceRoute(let netns, _, _, _, _, _),
            .rule(let netns, _, _, _, _), .deleteAddress(let netns, _, _, _), .deleteRoute(let netns, _, _, _, _, _):
            return netns
        }
    }

    var name: String {
        switch self {
        case .listLinks: return "list-links"
        case .listAddresses: return "list-addresses"
        case .moveToNamespace: return "move-to-namespace"
        case .moveToRoot: return "move-to-root"
        case .rename: return "rename"
        case .setMTU: return "set-mtu"
        case .setState: return "set-state"
        case .replaceAddress: return "replace-address"
        case .flushAddresses: return "flush-addresses"
        case .replaceRoute: return "replace-route"
        case .deleteAddress: return "delete-address"
        case .deleteRoute: return "delete-route"
        case .rule: return "rule"
        }
    }

    var arguments: [String] {
        // The namespace is entered by the launcher (see `namespace`), never passed as `-n`.
        switch self {
        case .listLinks: return ["-j", "link", "show"]
        case .listAddresses: return ["-j", "addr", "show"]
        case .moveToNamespace(let link, let netns): return ["link", "set", "dev", link.description, "netns", netns.description]
        case .moveToRoot(let link, _): return ["link", "set", "dev", link.description, "netns", "1"]
        case .rename(_, let link, let to): return ["link", "set", "dev", link.description, "name", to.description]
        case .setMTU(_, let link, let mtu): return ["link", "set", "dev", link.description, "mtu", String(mtu.value)]
        case .setState(_, let link, let up): return ["link", "set", "dev", link.description, up ? "up" : "down"]
        case .replaceAddress(_, let link, let address, let prefix):
            return ["addr", "replace", "\(address)/\(prefix)", "dev", link.description]
        case .flushAddresses(_, let link): return ["addr", "flush", "dev", link.description]
        case .replaceRoute(_, let destination, let via, let link, let family, let table):
            var args = [family == .v6 ? "-6" : "-4", "route", "replace", destination?.description ?? "default"]
            if let via { args += ["via", via.description] }
            args += ["dev", link.description]
            args += via == nil ? ["scope", "link"] : ["onlink"]
            if let table { args += ["table", String(table)] }
            return args
        case .deleteAddress(_, let link, let address, let prefix):
            return ["addr", "del", "\(address)/\(prefix)", "dev", link.description]
        case .deleteRoute(_, let destination, let via, let link, let family, let table):
            var args = [family == .v6 ? "-6" : "-4", "route", "del", destination?.description ?? "default"]
            if let via { args += ["via", via.description] }
            args += ["dev", link.description]
            if let table { args += ["table", String(table)] }
            return args
        case .rule(_, let add, let from, let table, let priority):
            return [from.family == .v6 ? "-6" : "-4", "rule", add ? "add" : "del", "from", from.description,
                    "table", String(table), "priority", String(priority)]
        }
    }
}
