import IPCProtocol
import LinuxSystem

/// One address of the amphora namespace as `ip -j addr show` reports it: the interface that holds
/// it and the prefix length of its subnet.
struct NamespaceAddress: Equatable, Sendable {
    var interface: String
    var address: IPAddress
    var prefixLength: Int

    /// The addresses in `ip -j addr show` output; entries that do not parse are left out (the
    /// names are validated again by whoever puts them into a command).
    static func parse(_ output: String) -> [NamespaceAddress] {
        guard let value = try? JSONValue(parsing: Array(output.utf8)), case .array(let links) = value else { return [] }
        var result: [NamespaceAddress] = []
        for link in links {
            guard case .object(let members) = link, case .string(let name)? = members.first(where: { $0.0 == "ifname" })?.1,
                case .array(let infos)? = members.first(where: { $0.0 == "addr_info" })?.1
            else { continue }
            for info in infos {
                guard case .object(let fields) = info, case .string(let local)? = fields.first(where: { $0.0 == "local" })?.1,
                    case .number(let prefixText)? = fields.first(where: { $0.0 == "prefixlen" })?.1, let prefix = Int(prefixText),
                    let found = try? IPAddress(validating: local)
                else { continue }
                result.append(NamespaceAddress(interface: name, address: found, prefixLength: prefix))
            }
        }
        return result
    }
}
