import CLinuxShim
import Glibc
import IPCProtocol
import LinuxNetlink
import LinuxSystem

/// Reads the amphora namespace's IPVS table over generic netlink (family `IPVS`, the interface
/// ipvsadm itself uses): a service dump, then a destination dump per service. No process runs.
///
/// The socket is created inside the namespace when the helper starts, before its confinement
/// forbids `setns`, and kept: a netlink socket stays in the namespace it was created in. The
/// requests need CAP_NET_ADMIN, which the helper keeps. The kernel refreshes the counters every
/// 2 s (its rate estimator), as ipvsadm shows them.
final class IPVSTableReader: Sendable {
    static let genlIDControl: UInt16 = 0x10
    static let controlGetFamily: UInt8 = 3
    static let controlAttrFamilyID: UInt16 = 1
    static let controlAttrFamilyName: UInt16 = 2
    static let getService: UInt8 = 4
    static let getDestination: UInt8 = 8
    static let attrService: UInt16 = 1
    static let attrDestination: UInt16 = 2
    // IPVS_SVC_ATTR_*
    static let serviceFamily: UInt16 = 1
    static let serviceProtocol: UInt16 = 2
    static let serviceAddress: UInt16 = 3
    static let servicePort: UInt16 = 4
    static let serviceFirewallMark: UInt16 = 5
    static let serviceStats: UInt16 = 10
    static let serviceStats64: UInt16 = 12
    // IPVS_DEST_ATTR_*
    static let destinationAddress: UInt16 = 1
    static let destinationPort: UInt16 = 2
    static let destinationWeight: UInt16 = 4
    static let destinationActiveConnections: UInt16 = 7
    static let destinationFamily: UInt16 = 11
    // IPVS_STATS_ATTR_*
    static let statsConnections: UInt16 = 1
    static let statsInBytes: UInt16 = 4
    static let statsOutBytes: UInt16 = 5

    static let protocols: [UInt16: String] = [6: "TCP", 17: "UDP", 132: "SCTP"]

    /// The socket (nil when it could not be opened) and, once resolved, the IPVS family id (the
    /// module may load after we start).
    private let state: LockedValue<(socket: NetlinkSocket?, family: UInt16?)>
    /// Why there is no socket.
    private let unavailable: String?

    init(socket: sending NetlinkSocket?, unavailable: String? = nil) {
        state = LockedValue((socket, nil))
        self.unavailable = unavailable
    }

    /// A reader with a generic netlink socket created inside `/run/netns/<netns>`; without one
    /// (no such namespace yet), every read fails with the reason.
    static func open(netns: String) -> IPVSTableReader {
        let path = "/run/netns/\(netns)"
        do throws(SystemError) {
            let nsfd = try retryingSyscall("open", subject: path) { Glibc.open(path, O_RDONLY | O_CLOEXEC) }
            defer { close(nsfd) }
            let fd = try retryingSyscall("socket", subject: path) {
                cshim_socket_in_netns(nsfd, AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 16 /* NETLINK_GENERIC */)
            }
            return IPVSTableReader(socket: try NetlinkSocket(adopting: fd))
        } catch {
            return IPVSTableReader(socket: nil, unavailable: "no netlink socket in \(path) since the helper started: \(error)")
        }
    }

    /// The whole table (fwmark services are left out: Octavia's listeners are address and port).
    /// A failed read is tried once more from scratch: the socket drained, the family looked up
    /// again (the ip_vs module may have been reloaded), a dump that changed under us taken again.
    func read() throws(SystemError) -> IPVSTable {
        let unavailable = self.unavailable
        return try state.withLock { state throws(SystemError) -> IPVSTable in
            guard let socket = state.socket else { throw SystemError("IPVS table", errno: ENOTCONN, subject: unavailable) }
            do {
                return try Self.readTable(socket, family: &state.family)
            } catch {
                state.family = nil
                return try Self.readTable(socket, family: &state.family)
            }
        }
    }

    static func readTable(_ socket: NetlinkSocket, family cached: inout UInt16?) throws(SystemError) -> IPVSTable {
        let family: UInt16
        if let known = cached {
            family = known
        } else {
            family = try resolveFamily(socket)
            cached = family
        }
        var table = IPVSTable()
        for message in try request(socket, family: family, command: getService, attributes: [], dump: true) {
            guard let nested = Netlink.attributes(message, from: 4)[attrService], let (key, identity, counters) = parseService(nested)
            else { continue }
            var service = counters
            let destinations = try request(
                socket, family: family, command: getDestination, attributes: Netlink.attribute(attrService | 0x8000, identity), dump: true)
            for destination in destinations {
                guard let nestedDestination = Netlink.attributes(destination, from: 4)[attrDestination],
                    let (endpoint, server) = parseDestination(nestedDestination, serviceFamily: key.endpoint.address.family)
                else { continue }
                service.realServers[endpoint] = server
            }
            table.services[key] = service
        }
        return table
    }

    /// `CTRL_CMD_GETFAMILY "IPVS"` → the family id; ENOENT when the kernel has no IP_VS.
    static func resolveFamily(_ socket: NetlinkSocket) throws(SystemError) -> UInt16 {
        let name = Netlink.attribute(controlAttrFamilyName, Array("IPVS".utf8) + [0])
        for body in try request(socket, family: genlIDControl, command: controlGetFamily, attributes: name, dump: false, version: 1) {
            if let id = Netlink.attributes(body, from: 4)[controlAttrFamilyID].flatMap({ Netlink.load($0, at: 0, as: UInt16.self) }) {
                return id
            }
        }
        throw SystemError("generic netlink family IPVS", errno: ENOENT)
    }

    /// One generic netlink request; the bodies (genlmsghdr + attributes) of the family's answers.
    static func request(
        _ socket: NetlinkSocket, family: UInt16, command: UInt8, attributes: [UInt8], dump: Bool, version: UInt8 = 1
    ) throws(SystemError) -> [ArraySlice<UInt8>] {
        let header: [UInt8] = [command, version, 0, 0]
        let flags = Netlink.flagRequest | (dump ? Netlink.flagDump : 0)
        return try socket.exchange(type: family, flags: flags, body: header + attributes).filter { $0.type == family }.map(\.body)
    }

    /// A service's key, the attributes that identify it in a destination request, and its counters.
    static func parseService(_ nested: ArraySlice<UInt8>) -> (IPVSTable.Key, [UInt8], IPVSTable.Service)? {
        let attrs = Netlink.attributes(nested, from: 0)
        guard attrs[serviceFirewallMark].flatMap({ Netlink.load($0, at: 0, as: UInt32.self) }) ?? 0 == 0,
            let family = attrs[serviceFamily].flatMap({ Netlink.load($0, at: 0, as: UInt16.self) }),
            let proto = attrs[serviceProtocol].flatMap({ Netlink.load($0, at: 0, as: UInt16.self) }),
            let protocolName = protocols[proto],
            let rawAddress = attrs[serviceAddress], let rawPort = attrs[servicePort],
            let endpoint = endpoint(family: family, address: rawAddress, port: rawPort)
        else { return nil }
        var service = IPVSTable.Service()
        if let stats = attrs[serviceStats64] {
            let values = Netlink.attributes(stats, from: 0)
            service.connections = values[statsConnections].flatMap { Netlink.load($0, at: 0, as: UInt64.self) } ?? 0
            service.inBytes = values[statsInBytes].flatMap { Netlink.load($0, at: 0, as: UInt64.self) } ?? 0
            service.outBytes = values[statsOutBytes].flatMap { Netlink.load($0, at: 0, as: UInt64.self) } ?? 0
        } else if let stats = attrs[serviceStats] {
            // Kernels before 4.1: 32-bit connection and packet counters, 64-bit byte counters.
            let values = Netlink.attributes(stats, from: 0)
            service.connections = values[statsConnections].flatMap { Netlink.load($0, at: 0, as: UInt32.self) }.map(UInt64.init) ?? 0
            service.inBytes = values[statsInBytes].flatMap { Netlink.load($0, at: 0, as: UInt64.self) } ?? 0
            service.outBytes = values[statsOutBytes].flatMap { Netlink.load($0, at: 0, as: UInt64.self) } ?? 0
        }
        let identity = Netlink.attribute(serviceFamily, Array(attrs[serviceFamily]!)) + Netlink.attribute(serviceProtocol, Array(attrs[serviceProtocol]!))
            + Netlink.attribute(serviceAddress, Array(rawAddress)) + Netlink.attribute(servicePort, Array(rawPort))
        return (IPVSTable.Key(protocolName: protocolName, endpoint: endpoint), identity, service)
    }

    /// A destination's address and port (its own family when the kernel says, else the service's).
    static func parseDestination(_ nested: ArraySlice<UInt8>, serviceFamily: IPFamily) -> (IPVSEndpoint, IPVSTable.RealServer)? {
        let attrs = Netlink.attributes(nested, from: 0)
        let family = attrs[destinationFamily].flatMap { Netlink.load($0, at: 0, as: UInt16.self) }
            ?? UInt16(serviceFamily == .v6 ? AF_INET6 : AF_INET)
        guard let rawAddress = attrs[destinationAddress], let rawPort = attrs[destinationPort],
            let endpoint = endpoint(family: family, address: rawAddress, port: rawPort)
        else { return nil }
        let weight = attrs[destinationWeight].flatMap { Netlink.load($0, at: 0, as: Int32.self) } ?? 0
        let active = attrs[destinationActiveConnections].flatMap { Netlink.load($0, at: 0, as: UInt32.self) } ?? 0
        return (endpoint, IPVSTable.RealServer(weight: Int(weight), activeConnections: UInt64(active)))
    }

    /// `union nf_inet_addr` (16 bytes, IPv4 in the first 4) and a big-endian port.
    static func endpoint(family: UInt16, address: ArraySlice<UInt8>, port: ArraySlice<UInt8>) -> IPVSEndpoint? {
        let length = family == UInt16(AF_INET) ? 4 : family == UInt16(AF_INET6) ? 16 : 0
        guard length > 0, address.count >= length, let raw = Netlink.load(port, at: 0, as: UInt16.self),
            let ip = try? IPAddress(bytes: Array(address.prefix(length)))
        else { return nil }
        return IPVSEndpoint(address: ip, port: raw.byteSwapped)  // load reads little-endian; the port is big-endian
    }
}
