import Glibc
import LinuxNetlink
import LinuxSystem

/// The rtnetlink requests the statistics need.
extension NetlinkSocket {
    /// The id our namespace knows `fd`'s namespace by, or −1 when none is assigned.
    func namespaceID(fd nsfd: Int32) throws(SystemError) -> Int32 {
        typealias L = NamespaceLinkStatistics
        let body = [UInt8](repeating: 0, count: 4) + Netlink.attribute(L.netnsaFD, Netlink.le(UInt32(bitPattern: nsfd)))
        for message in try exchange(type: L.rtmGetNSID, flags: Netlink.flagRequest, body: body) where message.type == L.rtmNewNSID {
            if let value = Netlink.attributes(message.body, from: 4)[L.netnsaNSID], let id = Netlink.load(value, at: 0, as: Int32.self) { return id }
        }
        return -1
    }

    /// Asks the kernel to give `fd`'s namespace an id (any free one).
    func assignNamespaceID(fd nsfd: Int32) throws(SystemError) {
        typealias L = NamespaceLinkStatistics
        let body = [UInt8](repeating: 0, count: 4) + Netlink.attribute(L.netnsaFD, Netlink.le(UInt32(bitPattern: nsfd)))
            + Netlink.attribute(L.netnsaNSID, Netlink.le(Int32(-1)))
        do {
            _ = try exchange(type: L.rtmNewNSID, flags: Netlink.flagRequest | Netlink.flagAck, body: body)
        } catch where error.errno == EEXIST {
            // Assigned meanwhile (by `ip` or a concurrent sampler): fine.
        }
    }

    /// Every link of the namespace with id `nsid`.
    func links(targetNamespaceID nsid: Int32) throws(SystemError) -> [NamespaceLinkStatistics.Counters] {
        typealias L = NamespaceLinkStatistics
        let body = [UInt8](repeating: 0, count: 16) + Netlink.attribute(L.iflaTargetNetnsid, Netlink.le(nsid))
        return try exchange(type: L.rtmGetLink, flags: Netlink.flagRequest | Netlink.flagDump, body: body)
            .filter { $0.type == L.rtmNewLink }.compactMap { L.parseLink($0.body) }
    }
}
