import Glibc
import LinuxNetlink
import LinuxSystem

/// Interface byte counters of another network namespace, read over rtnetlink from the helper's own
/// namespace: no `setns`, no process.
///
/// The namespace is named by its `/run/netns/<name>` file. The kernel gives it a namespace id as
/// seen from ours (`RTM_GETNSID`, assigned with `RTM_NEWNSID` when it has none yet, as
/// `ip netns set` would), and an `RTM_GETLINK` dump carrying `IFLA_TARGET_NETNSID` lists that
/// namespace's links with `IFLA_STATS64`. Needs CAP_NET_ADMIN (kept by the helper) and an
/// `AF_NETLINK` socket (allowed by its seccomp policy).
enum NamespaceLinkStatistics {
    /// One link's cumulative counters.
    struct Counters: Sendable, Equatable {
        var name: String
        var rxBytes: UInt64
        var txBytes: UInt64
    }

    static let rtmNewLink: UInt16 = 16
    static let rtmGetLink: UInt16 = 18
    static let rtmNewNSID: UInt16 = 88
    static let rtmGetNSID: UInt16 = 90
    static let iflaIfname: UInt16 = 3
    static let iflaStats64: UInt16 = 23
    static let iflaTargetNetnsid: UInt16 = 46
    static let netnsaNSID: UInt16 = 1
    static let netnsaFD: UInt16 = 3

    /// Every link of the namespace named `netns` (`/run/netns/<netns>`), or throws.
    static func read(netns: String) throws(SystemError) -> [Counters] {
        let path = "/run/netns/\(netns)"
        let nsfd = try retryingSyscall("open", subject: path) { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(nsfd) }
        let socket = try NetlinkSocket(protocol: 0)
        var nsid = try socket.namespaceID(fd: nsfd)
        if nsid < 0 {
            try socket.assignNamespaceID(fd: nsfd)
            nsid = try socket.namespaceID(fd: nsfd)
        }
        guard nsid >= 0 else { throw SystemError("RTM_GETNSID", errno: ENOENT, subject: path) }
        return try socket.links(targetNamespaceID: nsid)
    }

    /// Links from `RTM_NEWLINK` message bodies (`ifinfomsg` is 16 bytes).
    static func parseLink(_ body: ArraySlice<UInt8>) -> Counters? {
        let attrs = Netlink.attributes(body, from: 16)
        guard let nameBytes = attrs[iflaIfname], let stats = attrs[iflaStats64] else { return nil }
        let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
        // rtnl_link_stats64: rx_packets, tx_packets, rx_bytes, tx_bytes, ...
        guard let rx = Netlink.load(stats, at: 16, as: UInt64.self), let tx = Netlink.load(stats, at: 24, as: UInt64.self) else { return nil }
        return Counters(name: name, rxBytes: rx, txBytes: tx)
    }
}
