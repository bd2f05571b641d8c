import Foundation
import IPCProtocol
import LinuxSystem
import Testing

@testable import Helper

/// The lookups of the network configurator over `ip -j` output (canned by the recording runner),
/// and the subnet arithmetic. Plugging real ports runs in the integration tests' namespaces.
@Suite("network configurator")
struct NetworkConfiguratorTests {
    let context = AuditContext.forTests()
    /// What `ip -j addr show` (and, for its ifname/address, `ip -j link show`) prints.
    static let ipJSON = """
        [{"ifname":"lo","address":"00:00:00:00:00:00","addr_info":[{"local":"127.0.0.1","prefixlen":8}]},
         {"ifname":"eth1","address":"fa:16:3e:00:00:01","addr_info":[{"local":"192.0.2.10","prefixlen":24},
                                                                    {"local":"2001:db8::10","prefixlen":64}]}]
        """

    func withConfigurator(exitCode: Int32 = 0, stdout: String = ipJSON, _ body: (NetworkConfigurator) throws -> Void) throws {
        try withTemporaryDirectory("amp-network") { base in
            try body(NetworkConfigurator(
                netns: try InterfaceName(validating: "amphora-haproxy"), base: try SafeDirectory.open(base, create: false),
                runner: RecordingRunner(exitCode: exitCode, stdout: stdout), activeStandby: false))
        }
    }


    @Test("the interface holding an address, 404 when none does")
    func interfaceForAddress() throws {
        try withConfigurator { network in
            let v4 = try IPAddress(validating: "192.0.2.10"), v6 = try IPAddress(validating: "2001:db8::10")
            let elsewhere = try IPAddress(validating: "198.51.100.1")
            let names = [try network.interface(for: v4, context: context), try network.interface(for: v6, context: context)]
            #expect(names == ["eth1", "eth1"])
            #expect(wireError { _ = try network.interface(for: elsewhere, context: context) }
                == CommandError(.notFound, "Error interface not found for IP address"))
        }
    }

    @Test("the interface on an address's subnet, with the subnet's prefix length")
    func interfaceOnSubnet() throws {
        try withConfigurator { network in
            let v4 = try IPAddress(validating: "192.0.2.200"), v6 = try IPAddress(validating: "2001:db8::ff")
            let elsewhere = try IPAddress(validating: "203.0.113.5")
            let (name, prefix) = try network.interface(onSubnetOf: v4, context: context)
            #expect(name == "eth1" && prefix == 24)
            let (name6, prefix6) = try network.interface(onSubnetOf: v6, context: context)
            #expect(name6 == "eth1" && prefix6 == 64)
            #expect(wireError { _ = try network.interface(onSubnetOf: elsewhere, context: context) }
                == CommandError(.notFound, "No interface on the subnet of 203.0.113.5"))
        }
    }

    @Test("a failing ip command is a 500 with its output, never a guess")
    func ipFailure() throws {
        try withConfigurator(exitCode: 1, stdout: "") { network in
            let address = try IPAddress(validating: "192.0.2.10")
            let error = wireError { _ = try network.interface(for: address, context: context) }
            #expect(error?.code == .internalError)
            #expect(error?.message == "Error configuring interface")
        }
    }

    @Test("network(of:prefixLength:) masks the host bits, IPv4 and IPv6")
    func subnetArithmetic() throws {
        #expect(NetworkConfigurator.network(of: try IPAddress(validating: "192.0.2.77"), prefixLength: 24)?.description == "192.0.2.0/24")
        #expect(NetworkConfigurator.network(of: try IPAddress(validating: "198.51.100.130"), prefixLength: 25)?.description == "198.51.100.128/25")
        #expect(NetworkConfigurator.network(of: try IPAddress(validating: "2001:db8::1:2"), prefixLength: 64)?.description == "2001:db8::/64")
        #expect(NetworkConfigurator.network(of: try IPAddress(validating: "192.0.2.77"), prefixLength: 32)?.description == "192.0.2.77/32")
    }
}
