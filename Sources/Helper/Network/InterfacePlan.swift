import IPCProtocol
import ProgramLauncher

/// What one plugged interface should carry: its addresses, routes and policy rules, computed from
/// its recorded plug (the VIP part and/or the member part). Applying a plan is idempotent; the
/// difference between the previous plan and the new one is what a re-plug removes, so only things
/// the agent itself added are ever deleted (upstream's `amphora-interface up` likewise removes only
/// its own static routes and rules, and the addresses no longer in the interface file).
struct InterfacePlan: Equatable {
    /// An address with the prefix length of its subnet.
    struct Address: Hashable {
        var address: IPAddress
        var prefixLength: Int
    }

    /// A route: `destination` nil is the default route; `via` nil a link-scope route; `table` nil
    /// the main table. Routes through a gateway are added `onlink` (see ``IPToolOperation/replaceRoute``).
    struct Route: Hashable {
        var destination: CIDR?
        var via: IPAddress?
        var family: IPFamily
        var table: Int?
    }

    var mtu: MTU?
    var addresses: [Address] = []
    var routes: [Route] = []
    /// Sources whose traffic is looked up in the VIP table.
    var ruleSources: [IPAddress] = []
    /// An SR-IOV port (either part says `is_sriov`): see ``SRIOVBaseRules``.
    var sriov = false

    /// The plan for a VIP part and/or a member part on one interface.
    ///
    /// VIP part (as before): SINGLE gives the port the VIP and the additional VIPs (and the VRRP
    /// address); ACTIVE_STANDBY only the VRRP address (keepalived owns the VIP). Per VIP subnet: a
    /// link route in the VIP table, default routes through the gateway in the VIP table and the main
    /// table, host routes in both; a rule from every VIP (and the VRRP address) to the VIP table.
    ///
    /// Member part: every fixed address with its subnet's prefix, its host routes in the main table.
    /// On the VIP port (`vip_net_info`), a fixed address's gateway also gives a default route (main
    /// and VIP table) for a family that has none yet: upstream writes them after the VIP's, and the
    /// kernel keeps the first (EEXIST).
    init(vip: VIPPlug?, network: NetworkPlug?, activeStandby: Bool, vipTable: Int) {
        mtu = network?.mtu ?? vip?.mtu
        sriov = (vip?.isSRIOV ?? false) || (network?.isSRIOV ?? false)
        func addAddress(_ address: IPAddress, _ prefix: Int) {
            let entry = Address(address: address, prefixLength: prefix)
            if !addresses.contains(entry) { addresses.append(entry) }
        }
        func addRoute(_ route: Route) {
            if !routes.contains(route) { routes.append(route) }
        }
        if let vip {
            let subnets = [vip.vip] + vip.additionalVIPs
            for (index, entry) in subnets.enumerated() {
                if activeStandby {
                    if index == 0 { addAddress(vip.vrrpAddress ?? entry.address, entry.subnet.prefixLength) }
                } else {
                    addAddress(entry.address, entry.subnet.prefixLength)
                }
            }
            // Upstream gives the port its own (VRRP) address in every topology (VIPInterfaceFile), so
            // the controller's GET /interface/<vrrp_ip> finds the interface in SINGLE too.
            if !activeStandby, let vrrp = vip.vrrpAddress, vrrp != vip.vip.address, vip.vip.subnet.contains(vrrp) {
                addAddress(vrrp, vip.vip.subnet.prefixLength)
            }
            for entry in subnets {
                let family = entry.subnet.network.family
                addRoute(Route(destination: entry.subnet, via: nil, family: family, table: vipTable))
                if let gateway = entry.gateway {
                    addRoute(Route(destination: nil, via: gateway, family: family, table: vipTable))
                    addRoute(Route(destination: nil, via: gateway, family: family, table: nil))
                }
                for route in entry.hostRoutes {
                    addRoute(Route(destination: route.destination, via: route.nexthop, family: family, table: vipTable))
                    addRoute(Route(destination: route.destination, via: route.nexthop, family: family, table: nil))
                }
            }
            var sources = subnets.map(\.address)
            if let vrrp = vip.vrrpAddress { sources.append(vrrp) }
            for source in sources where !ruleSources.contains(source) { ruleSources.append(source) }
        }
        if let network {
            for entry in network.fixedIPs { addAddress(entry.address, entry.subnet.prefixLength) }
            for entry in network.fixedIPs {
                let family = entry.subnet.network.family
                if vip != nil, let gateway = entry.gateway {
                    for table in [nil, vipTable] where !routes.contains(where: { $0.destination == nil && $0.family == family && $0.table == table }) {
                        addRoute(Route(destination: nil, via: gateway, family: family, table: table))
                    }
                }
                for route in entry.hostRoutes {
                    addRoute(Route(destination: route.destination, via: route.nexthop, family: family, table: nil))
                }
            }
        }
    }
}
