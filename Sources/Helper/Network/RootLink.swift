import IPCProtocol

/// A link of the root namespace as `ip -j addr show` reports it, and whether a plug may take it.
///
/// A port the controller hot-plugs arrives as a plain link that nothing on the amphora configured:
/// no address but an IPv6 link-local one, no master. The amphora's own links (the management port
/// the front and the heartbeat use, anything the image or the operator set up) hold addresses; a
/// plug naming such a link's MAC is refused, so that no request moves the management port into the
/// namespace where tenant-driven haproxy and keepalived run (nor cuts the amphora off).
struct RootLink: Equatable, Sendable {
    var name: String
    var mac: String
    /// Enslaved to a bond, bridge or team (`master` present).
    var enslaved: Bool
    /// Addresses other than IPv6 link-local ones.
    var configuredAddresses: [String]
    /// Root-namespace links stacked on this one (a macvlan's or a VLAN's `link`): moving it would take their carrier.
    var upperLinks: [String] = []

    /// The links in `ip -j addr show` output (or `ip -j link show`: no addresses then); entries without
    /// a name or a MAC are left out.
    static func parse(_ output: String) -> [RootLink] {
        guard let value = try? JSONValue(parsing: Array(output.utf8)), case .array(let items) = value else { return [] }
        var links = items.compactMap(link(from:))
        // A `link` without `link_netnsid` names a lower device in this namespace (a veth's peer elsewhere has one).
        for item in items {
            guard case .object(let members) = item, case .string(let upper)? = members.first(where: { $0.0 == "ifname" })?.1,
                case .string(let lower)? = members.first(where: { $0.0 == "link" })?.1, !members.contains(where: { $0.0 == "link_netnsid" })
            else { continue }
            for index in links.indices where links[index].name == lower { links[index].upperLinks.append(upper) }
        }
        return links
    }

    /// One entry of the listing.
    static func link(from item: JSONValue) -> RootLink? {
        guard case .object(let members) = item,
            case .string(let name)? = members.first(where: { $0.0 == "ifname" })?.1,
            case .string(let mac)? = members.first(where: { $0.0 == "address" })?.1
        else { return nil }
        var configured: [String] = []
        if case .array(let infos)? = members.first(where: { $0.0 == "addr_info" })?.1 {
            for info in infos {
                guard case .object(let fields) = info else { continue }
                let local: String
                if case .string(let text)? = fields.first(where: { $0.0 == "local" })?.1 { local = text } else { local = "?" }
                let family = fields.first(where: { $0.0 == "family" })?.1
                let scope = fields.first(where: { $0.0 == "scope" })?.1
                if family == .string("inet6"), scope == .string("link") { continue }
                configured.append(local)
            }
        }
        return RootLink(name: name, mac: mac.lowercased(), enslaved: members.contains { $0.0 == "master" }, configuredAddresses: configured)
    }
}
