import Testing
@testable import Helper

/// Which root-namespace links a plug may take, from real `ip -j addr show` output.
@Suite("root-namespace links: only a plain, unconfigured port may be plugged")
struct RootLinkTests {
    static let output = """
        [{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"link_type":"loopback","address":"00:00:00:00:00:00",\
        "addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8,"scope":"host","label":"lo"}]},\
        {"ifindex":2,"ifname":"ens3","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"link_type":"ether","address":"FA:16:3E:00:00:01",\
        "addr_info":[{"family":"inet","local":"192.0.2.10","prefixlen":24,"scope":"global"},{"family":"inet6","local":"fe80::f816:3eff:fe00:1","prefixlen":64,"scope":"link"}]},\
        {"ifindex":3,"ifname":"ens4","flags":["BROADCAST","MULTICAST"],"mtu":1500,"link_type":"ether","address":"fa:16:3e:00:00:02","addr_info":[]},\
        {"ifindex":4,"ifname":"ens5","flags":["BROADCAST","MULTICAST","UP"],"mtu":1500,"link_type":"ether","address":"fa:16:3e:00:00:03",\
        "addr_info":[{"family":"inet6","local":"fe80::f816:3eff:fe00:3","prefixlen":64,"scope":"link"}]},\
        {"ifindex":5,"ifname":"ens6","flags":["BROADCAST","MULTICAST","SLAVE","UP"],"mtu":1500,"master":"bond0","link_type":"ether","address":"fa:16:3e:00:00:04","addr_info":[]},\
        {"ifindex":6,"ifname":"ens7","mtu":1500,"link_type":"ether","address":"fa:16:3e:00:00:05",\
        "addr_info":[{"family":"inet6","local":"2001:db8::5","prefixlen":64,"scope":"global"}]},\
        {"ifindex":7,"link":"ens4","ifname":"mv0","mtu":1500,"link_type":"ether","address":"f6:89:f0:01:52:6e","addr_info":[]},\
        {"ifindex":8,"link":"vb0","ifname":"va0","link_netnsid":0,"mtu":1500,"link_type":"ether","address":"02:a5:00:00:00:01","addr_info":[]}]
        """

    @Test("addresses other than IPv6 link-local, a master, or a link stacked on it make a link the amphora's own")
    func parses() {
        let links = RootLink.parse(Self.output)
        #expect(links.map(\.name) == ["lo", "ens3", "ens4", "ens5", "ens6", "ens7", "mv0", "va0"])
        #expect(links.filter { !$0.enslaved && $0.configuredAddresses.isEmpty && $0.upperLinks.isEmpty }.map(\.name) == ["ens5", "mv0", "va0"])
        // A macvlan runs over ens4; a veth's peer in another namespace names no link here.
        #expect(links[2].upperLinks == ["mv0"])
        #expect(links.allSatisfy { $0.name == "ens4" || $0.upperLinks.isEmpty })
        #expect(links[1].mac == "fa:16:3e:00:00:01")
        #expect(links[1].configuredAddresses == ["192.0.2.10"])
        #expect(links[4].enslaved)
        #expect(links[5].configuredAddresses == ["2001:db8::5"])
        #expect(RootLink.parse("not json").isEmpty)
    }
}
