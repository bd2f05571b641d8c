/// A route to `destination` through `nexthop` (the controller's `host_routes` entries).
public struct HostRoute: Sendable, Codable, Equatable, Hashable {
    public var destination: CIDR
    public var nexthop: IPAddress

    public init(destination: CIDR, nexthop: IPAddress) throws(ValidationError) {
        guard destination.network.family == nexthop.family else {
            throw ValidationError(field: "host_routes", reason: "destination \(destination) and nexthop \(nexthop) are of different families")
        }
        self.destination = destination
        self.nexthop = nexthop
    }
}

/// An address on a subnet, with the subnet's gateway and extra routes; a value that exists is
/// consistent: the address and the gateway are inside the subnet, everything is of one family.
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
        if let gateway {
            guard subnet.contains(gateway) else { throw ValidationError(field: "gateway", reason: "\(gateway) is not inside \(subnet)") }
        }
        guard hostRoutes.count <= Self.maximumHostRoutes else {
            throw ValidationError(field: "host_routes", reason: "more than \(Self.maximumHostRoutes) routes")
        }
        guard Set(hostRoutes).count == hostRoutes.count else { throw ValidationError(field: "host_routes", reason: "duplicate routes") }
        for route in hostRoutes where route.destination.network.family != subnet.network.family {
            throw ValidationError(field: "host_routes", reason: "route to \(route.destination) is not of the subnet's family")
        }
        self.address = address
        self.subnet = subnet
        self.gateway = gateway
        self.hostRoutes = hostRoutes
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        do {
            try self.init(
                address: try c.decode(IPAddress.self, forKey: .address), subnet: try c.decode(CIDR.self, forKey: .subnet),
                gateway: try c.decodeIfPresent(IPAddress.self, forKey: .gateway), hostRoutes: try c.decode([HostRoute].self, forKey: .hostRoutes))
        } catch let error as ValidationError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
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

    public init(vip: SubnetAddress, mac: MACAddress, vrrpAddress: IPAddress?, mtu: MTU?, additionalVIPs: [SubnetAddress]) throws(ValidationError) {
        if let vrrpAddress {
            guard vip.subnet.contains(vrrpAddress) else {
                throw ValidationError(field: "vrrp_ip", reason: "\(vrrpAddress) is not inside \(vip.subnet)")
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
    }
}

/// `POST /plug/network`: configure the port with `mac` and its fixed addresses.
public struct NetworkPlug: Sendable, Codable, Equatable {
    public static let maximumFixedIPs = 16

    public var mac: MACAddress
    public var fixedIPs: [SubnetAddress]
    public var mtu: MTU?

    public init(mac: MACAddress, fixedIPs: [SubnetAddress], mtu: MTU?) throws(ValidationError) {
        guard fixedIPs.count <= Self.maximumFixedIPs else {
            throw ValidationError(field: "fixed_ips", reason: "more than \(Self.maximumFixedIPs) addresses")
        }
        self.mac = mac
        self.fixedIPs = fixedIPs
        self.mtu = mtu
    }
}
