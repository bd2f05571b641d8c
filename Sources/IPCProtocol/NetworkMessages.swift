/// A route to `destination` through `nexthop` (the controller's `host_routes` entries).
public struct HostRoute: Sendable, Codable, Equatable, Hashable {
    public var destination: CIDR
    public var nexthop: IPAddress

    public init(destination: CIDR, nexthop: IPAddress) throws(ValidationError) {
        guard nexthop.isUnicast else {
            throw ValidationError(field: "host_routes", reason: "the next hop \(nexthop) is not a unicast address")
        }
        guard destination.network.family == nexthop.family else {
            throw ValidationError(field: "host_routes", reason: "destination \(destination) and nexthop \(nexthop) are of different families")
        }
        self.destination = destination
        self.nexthop = nexthop
    }

    /// Decodes through ``init(destination:nexthop:)``, so a decoded route is as valid as a constructed one.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let destination = try c.decode(CIDR.self, forKey: .destination)
        let nexthop = try c.decode(IPAddress.self, forKey: .nexthop)
        do {
            try self.init(destination: destination, nexthop: nexthop)
        } catch {
            throw ValueGrammar.corrupted(error, decoder)
        }
    }
}

/// An address on a subnet, with the subnet's gateway and extra routes; a value that exists is
/// consistent: the address is a unicast host of the subnet (not its network or IPv4 broadcast
/// address), the gateway and next hops are unicast addresses of other hosts (not the address, not
/// the subnet's network or broadcast address), everything is of one family. The gateway may
/// lie outside the subnet (upstream routes every gateway and next hop `onlink`).
public struct SubnetAddress: Sendable, Codable, Equatable {
    /// Entries allowed in `host_routes` (security anchor A12).
    public static let maximumHostRoutes = 64

    public var address: IPAddress
    public var subnet: CIDR
    public var gateway: IPAddress?
    public var hostRoutes: [HostRoute]

    public init(address: IPAddress, subnet: CIDR, gateway: IPAddress?, hostRoutes: [HostRoute]) throws(ValidationError) {
        guard subnet.contains(address) else {
            throw ValidationError(field: "ip_address", reason: "\(address) is not inside \(subnet)")
        }
        guard subnet.isUsableHost(address) else {
            throw ValidationError(field: "ip_address", reason: "\(address) is not a unicast host address of \(subnet)")
        }
        if let gateway {
            guard subnet.isUsableHost(gateway), gateway != address else {
                throw ValidationError(field: "gateway", reason: "\(gateway) is not a unicast address of another host")
            }
            guard gateway.family == subnet.network.family else {
                throw ValidationError(field: "gateway", reason: "\(gateway) is not of the family of \(subnet)")
            }
        }
        guard hostRoutes.count <= Self.maximumHostRoutes else {
            throw ValidationError(field: "host_routes", reason: "more than \(Self.maximumHostRoutes) routes")
        }
        guard Set(hostRoutes).count == hostRoutes.count else { throw ValidationError(field: "host_routes", reason: "duplicate routes") }
        for route in hostRoutes where route.destination.network.family != subnet.network.family {
            throw ValidationError(field: "host_routes", reason: "route to \(route.destination) is not of the subnet's family")
        }
        for route in hostRoutes where !subnet.isUsableHost(route.nexthop) || route.nexthop == address {
            throw ValidationError(field: "host_routes", reason: "the next hop \(route.nexthop) is not a unicast address of another host")
        }
        self.address = address
        self.subnet = subnet
        self.gateway = gateway
        self.hostRoutes = hostRoutes
    }

    /// Decodes through ``init(address:subnet:gateway:hostRoutes:)``; an over-long route list is
    /// refused before any of its entries is decoded.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let address = try c.decode(IPAddress.self, forKey: .address)
        let subnet = try c.decode(CIDR.self, forKey: .subnet)
        let gateway = try c.decodeIfPresent(IPAddress.self, forKey: .gateway)
        let hostRoutes = try c.decodeArray(
            HostRoute.self, forKey: .hostRoutes,
            atMost: Self.maximumHostRoutes, field: "host_routes", reason: "more than \(Self.maximumHostRoutes) routes")
        do {
            try self.init(address: address, subnet: subnet, gateway: gateway, hostRoutes: hostRoutes)
        } catch {
            throw ValueGrammar.corrupted(error, decoder)
        }
    }
}

/// `POST /plug/vip/<ip>`: put the VIP on the port with `mac`.
public struct VIPPlug: Sendable, Codable, Equatable {
    public static let maximumAdditionalVIPs = 16

    public var vip: SubnetAddress
    public var mac: MACAddress
    /// This amphora's own address on the VIP subnet (ACTIVE_STANDBY: keepalived owns the VIP itself).
    public var vrrpAddress: IPAddress?
    public var mtu: MTU?
    public var additionalVIPs: [SubnetAddress]
    /// The port is an SR-IOV virtual function (`is_sriov`): its interface gets the base "drop all"
    /// nftables rules when it is configured, as upstream's `InterfaceController.up` does.
    public var isSRIOV: Bool

    public init(
        vip: SubnetAddress, mac: MACAddress, vrrpAddress: IPAddress?, mtu: MTU?, additionalVIPs: [SubnetAddress], isSRIOV: Bool = false
    ) throws(ValidationError) {
        if let vrrpAddress {
            guard vip.subnet.contains(vrrpAddress) else {
                throw ValidationError(field: "vrrp_ip", reason: "\(vrrpAddress) is not inside \(vip.subnet)")
            }
            guard vip.subnet.isUsableHost(vrrpAddress) else {
                throw ValidationError(field: "vrrp_ip", reason: "\(vrrpAddress) is not a unicast host address of \(vip.subnet)")
            }
        }
        guard additionalVIPs.count <= Self.maximumAdditionalVIPs else {
            throw ValidationError(field: "additional_vips", reason: "more than \(Self.maximumAdditionalVIPs) addresses")
        }
        self.vip = vip
        self.mac = mac
        self.vrrpAddress = vrrpAddress
        self.mtu = mtu
        self.additionalVIPs = additionalVIPs
        self.isSRIOV = isSRIOV
    }

    /// Decodes through ``init(vip:mac:vrrpAddress:mtu:additionalVIPs:isSRIOV:)``; an over-long address list
    /// is refused before any of its entries is decoded.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let vip = try c.decode(SubnetAddress.self, forKey: .vip)
        let mac = try c.decode(MACAddress.self, forKey: .mac)
        let vrrpAddress = try c.decodeIfPresent(IPAddress.self, forKey: .vrrpAddress)
        let mtu = try c.decodeIfPresent(MTU.self, forKey: .mtu)
        let additionalVIPs = try c.decodeArray(
            SubnetAddress.self, forKey: .additionalVIPs,
            atMost: Self.maximumAdditionalVIPs, field: "additional_vips", reason: "more than \(Self.maximumAdditionalVIPs) addresses")
        let isSRIOV = try c.decodeIfPresent(Bool.self, forKey: .isSRIOV) ?? false
        do {
            try self.init(vip: vip, mac: mac, vrrpAddress: vrrpAddress, mtu: mtu, additionalVIPs: additionalVIPs, isSRIOV: isSRIOV)
        } catch {
            throw ValueGrammar.corrupted(error, decoder)
        }
    }
}

/// `POST /plug/network`: configure the port with `mac` and its fixed addresses.
public struct NetworkPlug: Sendable, Codable, Equatable {
    public static let maximumFixedIPs = 16

    public var mac: MACAddress
    public var fixedIPs: [SubnetAddress]
    public var mtu: MTU?
    /// `vip_net_info`: the controller plugs a member subnet on the VRRP port itself (the port that
    /// carries the VIP); the interface is then configured as the VIP interface (the VIP, its routes
    /// and rules) plus the fixed addresses, as upstream's "re-vip-plug" does. Its MAC is the port's.
    public var vipNetInfo: VIPPlug?
    /// `is_sriov` (see ``VIPPlug/isSRIOV``).
    public var isSRIOV: Bool

    public init(mac: MACAddress, fixedIPs: [SubnetAddress], mtu: MTU?, vipNetInfo: VIPPlug? = nil, isSRIOV: Bool = false)
        throws(ValidationError)
    {
        guard fixedIPs.count <= Self.maximumFixedIPs else {
            throw ValidationError(field: "fixed_ips", reason: "more than \(Self.maximumFixedIPs) addresses")
        }
        if let vipNetInfo {
            guard vipNetInfo.mac == mac else {
                throw ValidationError(field: "vip_net_info", reason: "mac_address \(vipNetInfo.mac) is not the port's \(mac)")
            }
        }
        self.mac = mac
        self.fixedIPs = fixedIPs
        self.mtu = mtu
        self.vipNetInfo = vipNetInfo
        self.isSRIOV = isSRIOV
    }

    /// Decodes through ``init(mac:fixedIPs:mtu:vipNetInfo:isSRIOV:)``; an over-long address list is
    /// refused before any of its entries is decoded.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let mac = try c.decode(MACAddress.self, forKey: .mac)
        let fixedIPs = try c.decodeArray(
            SubnetAddress.self, forKey: .fixedIPs,
            atMost: Self.maximumFixedIPs, field: "fixed_ips", reason: "more than \(Self.maximumFixedIPs) addresses")
        let mtu = try c.decodeIfPresent(MTU.self, forKey: .mtu)
        let vipNetInfo = try c.decodeIfPresent(VIPPlug.self, forKey: .vipNetInfo)
        let isSRIOV = try c.decodeIfPresent(Bool.self, forKey: .isSRIOV) ?? false
        do {
            try self.init(mac: mac, fixedIPs: fixedIPs, mtu: mtu, vipNetInfo: vipNetInfo, isSRIOV: isSRIOV)
        } catch {
            throw ValueGrammar.corrupted(error, decoder)
        }
    }
}
