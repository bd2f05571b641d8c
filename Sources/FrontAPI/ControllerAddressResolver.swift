import Glibc

/// Turns `controller_ip_port_list` entries into socket addresses: IP literals directly, host names
/// through the system's name service (`/etc/hosts`, then DNS, as `/etc/nsswitch.conf` says).
///
/// Where and when: in the unprivileged front, never in the root helper (a DNS answer is network
/// input). Names are resolved before the front confines itself, when the controller uploads new
/// destinations, and again at each turn of a name that did not resolve; a resolved address is kept
/// until the destinations change (upstream resolves once per list as well). The first address wins,
/// IPv4 before IPv6.
///
/// `gethostbyname2_r`, not `getaddrinfo`: with more than one answer glibc's `getaddrinfo` sorts them
/// (RFC 3484) after asking the kernel for the local addresses over a netlink socket, which the
/// front's seccomp allow-list does not have (the filter would end the process). `gethostbyname2_r`
/// asks the same name service for one family at a time and never sorts: files, sockets of the
/// families the front already uses, and memory.
enum ControllerAddressResolver {
    /// `host:port`, `[v6]:port` or `name:port` split into host (brackets removed) and port; nil when malformed.
    static func split(_ destination: String) -> (host: String, port: UInt16)? {
        let host: Substring
        let portText: Substring
        if destination.hasPrefix("[") {
            guard let close = destination.firstIndex(of: "]"), destination[close...].hasPrefix("]:") else { return nil }
            host = destination[destination.index(after: destination.startIndex)..<close]
            portText = destination[destination.index(close, offsetBy: 2)...]
        } else {
            guard let colon = destination.lastIndex(of: ":") else { return nil }
            host = destination[..<colon]
            portText = destination[destination.index(after: colon)...]
        }
        guard !host.isEmpty, let port = UInt16(portText), port > 0 else { return nil }
        return (String(host), port)
    }

    /// Whether `destination` names its host by an IP literal (no name service needed).
    static func isLiteral(_ destination: String) -> Bool { SocketAddress(destination) != nil }

    /// The address of `destination`: the literal, or the first address the name service gives for the
    /// name (IPv4, then IPv6); nil when it is malformed or the name does not resolve. May block for the
    /// resolver's timeout: call it off the event loops.
    static func resolve(_ destination: String) -> SocketAddress? {
        if let literal = SocketAddress(destination) { return literal }
        guard let (host, port) = split(destination), !host.utf8.contains(0) else { return nil }
        for family in [AF_INET, AF_INET6] {
            if let bytes = lookup(host, family: family) { return SocketAddress(family: family, address: bytes, port: port) }
        }
        return nil
    }

    /// The first address of `family` for `name`, as raw bytes (4 or 16).
    static func lookup(_ name: String, family: Int32) -> [UInt8]? {
        var size = 4096
        while size <= 1 << 20 {
            var buffer = [CChar](repeating: 0, count: size)
            var entry = hostent()
            var result: UnsafeMutablePointer<hostent>?
            var failure: Int32 = 0
            var found: [UInt8]?
            let status = buffer.withUnsafeMutableBufferPointer { storage -> Int32 in
                let status = gethostbyname2_r(name, family, &entry, storage.baseAddress, storage.count, &result, &failure)
                // The entry points into `storage`: copy the first address while it is valid.
                if status == 0, let result, result.pointee.h_addrtype == family, let list = result.pointee.h_addr_list,
                    let first = list[0]
                {
                    let length = Int(result.pointee.h_length)
                    guard length == (family == AF_INET ? 4 : 16) else { return status }
                    found = (0..<length).map { UInt8(bitPattern: first[$0]) }
                }
                return status
            }
            if status == ERANGE {
                size *= 2
                continue
            }
            return found
        }
        return nil
    }
}
