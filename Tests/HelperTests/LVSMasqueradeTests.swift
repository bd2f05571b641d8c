import Foundation
import IPCProtocol
import LinuxSystem
import ProgramLauncher
import Testing

@testable import Helper

/// Upstream's `lvs-masquerade.sh` as the one ruleset the helper renders from its plug records, and
/// the launch command that loads it. Loading it into a real namespace runs in the integration tests.
@Suite("LVS masquerade ruleset")
struct LVSMasqueradeTests {
    let context = AuditContext.forTests()

    static func port(_ name: String, _ families: Set<IPFamily>, sriov: Bool = false) throws -> LVSMasquerade.Port {
        LVSMasquerade.Port(interface: try InterfaceName(validating: name), families: families, sriov: sriov)
    }

    @Test("UDP and SCTP masqueraded, TCP untracked, per interface and family; both tables replaced in one load")
    func rendersUpstreamsRules() throws {
        let text = LVSMasquerade.ruleset([try Self.port("eth1", [.v4]), try Self.port("eth2", [.v4, .v6])])
        #expect(text == """
            table ip octavia-ipv4 {}
            delete table ip octavia-ipv4
            table ip octavia-ipv4 {
              chain ip-udp-masq {
                type nat hook postrouting priority 100;
                oifname "eth1" meta l4proto udp masquerade
                oifname "eth2" meta l4proto udp masquerade
              }
              chain ip-sctp-masq {
                type nat hook postrouting priority 100;
                oifname "eth1" meta l4proto sctp masquerade
                oifname "eth2" meta l4proto sctp masquerade
              }
              chain prerouting {
                type filter hook prerouting priority -300;
                iifname "eth1" meta l4proto tcp notrack
                iifname "eth2" meta l4proto tcp notrack
              }
              chain output {
                type filter hook output priority -300;
                oifname "eth1" meta l4proto tcp notrack
                oifname "eth2" meta l4proto tcp notrack
              }
            }
            table ip6 octavia-ipv6 {}
            delete table ip6 octavia-ipv6
            table ip6 octavia-ipv6 {
              chain ip6-udp-masq {
                type nat hook postrouting priority 100;
                oifname "eth2" meta l4proto udp masquerade
              }
              chain ip6-sctp-masq {
                type nat hook postrouting priority 100;
                oifname "eth2" meta l4proto sctp masquerade
              }
              chain prerouting {
                type filter hook prerouting priority -300;
                iifname "eth2" meta l4proto tcp notrack
              }
              chain output {
                type filter hook output priority -300;
                oifname "eth2" meta l4proto tcp notrack
              }
            }

            """)
    }

    @Test("an SR-IOV port is masqueraded but keeps TCP tracking (its drop-all input chain accepts tracked replies only)")
    func sriovKeepsTracking() throws {
        let text = LVSMasquerade.ruleset([try Self.port("eth1", [.v6], sriov: true)])
        #expect(text.contains(#"oifname "eth1" meta l4proto udp masquerade"#))
        #expect(text.contains(#"oifname "eth1" meta l4proto sctp masquerade"#))
        #expect(!text.contains("notrack") && !text.contains("prerouting"))
        #expect(!text.contains("table ip octavia-ipv4 {\n"), "no IPv4 port, no IPv4 table")
        let mixed = LVSMasquerade.ruleset([try Self.port("eth1", [.v4], sriov: true), try Self.port("eth2", [.v4])])
        #expect(mixed.contains(#"iifname "eth2" meta l4proto tcp notrack"#) && !mixed.contains(#"iifname "eth1""#))
    }

    @Test("no port: the tables are removed (create-then-delete succeeds whether they exist or not)")
    func noPorts() {
        #expect(LVSMasquerade.ruleset([]) == """
            table ip octavia-ipv4 {}
            delete table ip octavia-ipv4
            table ip6 octavia-ipv6 {}
            delete table ip6 octavia-ipv6

            """)
    }

    @Test("the families of a record: the VIPs' for the VIP part, the fixed addresses' (both without any) for the member part")
    func familiesOfRecords() throws {
        let mac = try MACAddress(validating: "fa:16:3e:00:00:01")
        func subnet(_ address: String, _ cidr: String) throws -> SubnetAddress {
            try SubnetAddress(address: IPAddress(validating: address), subnet: CIDR(validating: cidr), gateway: nil, hostRoutes: [])
        }
        let vip = try VIPPlug(
            vip: subnet("203.0.113.100", "203.0.113.0/24"), mac: mac, vrrpAddress: nil, mtu: nil,
            additionalVIPs: [subnet("2001:db8::100", "2001:db8::/64")])
        let dhcp = try NetworkPlug(mac: mac, fixedIPs: [], mtu: nil, isSRIOV: true)
        let member = try NetworkPlug(mac: mac, fixedIPs: [subnet("192.0.2.5", "192.0.2.0/24")], mtu: nil)
        let ports = NetworkConfigurator.masqueradePorts([
            .init(interface: "eth1", mac: mac, vip: vip, network: nil),
            .init(interface: "eth2", mac: mac, vip: nil, network: dhcp),
            .init(interface: "eth3", mac: mac, vip: nil, network: member),
            .init(interface: "bad name", mac: mac, vip: nil, network: member),
        ])
        #expect(ports == [try Self.port("eth1", [.v4, .v6]), try Self.port("eth2", [.v4, .v6], sriov: true), try Self.port("eth3", [.v4])])
    }

    @Test("written 0600 to base_path and loaded with nft -f inside the amphora namespace; a refusal is a 500")
    func writesAndLoads() throws {
        try withTemporaryDirectory("amp-masq") { base in
            let netns = try InterfaceName(validating: "amphora-haproxy")
            let runner = RecordingRunner()
            let masquerade = LVSMasquerade(base: try SafeDirectory.open(base, create: false), netns: netns, runner: runner)
            try masquerade.apply([try Self.port("eth1", [.v4])], context: context)
            let stored = try String(contentsOfFile: base + "/nftables-masquerade.rules", encoding: .utf8)
            #expect(stored == LVSMasquerade.ruleset([try Self.port("eth1", [.v4])]))
            var st = stat()
            #expect(stat(base + "/nftables-masquerade.rules", &st) == 0 && st.st_mode & 0o777 == 0o600)
            #expect(runner.calls.withLock { $0 } == [.nftLoadMasquerade(netns: netns)])

            let refusing = LVSMasquerade(base: try SafeDirectory.open(base, create: false), netns: netns, runner: RecordingRunner(exitCode: 1))
            #expect(wireError { try refusing.apply([], context: context) }?.message == "Error loading the nftables rules")
        }
    }

    @Test("the launch command: nft -f <base_path>/nftables-masquerade.rules (no -o: nft 1.0.6's optimizer crashes on these rules), in the namespace, on an action launcher")
    func launchCommand() throws {
        let netns = try InterfaceName(validating: "amphora-haproxy")
        let command = LaunchCommand.nftLoadMasquerade(netns: netns)
        let paths = ProgramPaths(haproxy: "/usr/sbin/haproxy", keepalived: "/usr/sbin/keepalived", basePath: "/var/lib/octavia")
        #expect(command.arguments(paths) == ["-f", "/var/lib/octavia/nftables-masquerade.rules"])
        #expect(command.program == .nft && command.namespace == netns && command.lane == .action && command.name == "nft-load-masquerade")
    }
}
