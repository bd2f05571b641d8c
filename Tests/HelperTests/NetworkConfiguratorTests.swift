import Foundation
import Glibc
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
        try withConfiguratorOnBase(exitCode: exitCode, stdout: stdout) { network, _ in try body(network) }
    }

    /// ``withConfigurator(exitCode:stdout:_:)``, with the base directory's path (where the records live).
    func withConfiguratorOnBase(exitCode: Int32 = 0, stdout: String = ipJSON, _ body: (NetworkConfigurator, String) throws -> Void) throws {
        try withTemporaryDirectory("amp-network") { base in
            try body(NetworkConfigurator(
                netns: try InterfaceName(validating: "amphora-haproxy"), base: try SafeDirectory.open(base, create: false),
                runner: RecordingRunner(exitCode: exitCode, stdout: stdout), activeStandby: false), base)
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

    /// A recorded member port: `address` on 192.0.2.0/24, MAC `mac`, interface `name`.
    static func memberRecord(_ mac: String, _ name: String, _ address: String = "192.0.2.10") throws -> NetworkConfigurator.Record {
        let fixed = try SubnetAddress(address: IPAddress(validating: address), subnet: CIDR(validating: "192.0.2.0/24"), gateway: nil, hostRoutes: [])
        let plug = try NetworkPlug(mac: MACAddress(validating: mac), fixedIPs: [fixed], mtu: nil)
        return NetworkConfigurator.Record(interface: name, mac: plug.mac, vip: nil, network: plug)
    }

    /// A record as an older agent may have written it, which today's validation refuses (a broadcast address).
    static func refusedEntry(_ mac: String, _ name: String) throws -> String {
        String(decoding: try StrictJSON.encode(memberRecord(mac, name)), as: UTF8.self).replacingOccurrences(of: "192.0.2.10", with: "192.0.2.255")
    }

    @Test("a recorded plug this agent cannot read is kept verbatim and reported at restore; recording another loses nothing")
    func unreadableRecordsAreKept() throws {
        try withConfiguratorOnBase { network, base in
            let path = base + "/plugged_interfaces.json"
            let refused = try Self.refusedEntry("fa:16:3e:00:00:09", "eth9")
            let good = try Self.memberRecord("fa:16:3e:00:00:01", "eth1")
            try "[\(refused),\(String(decoding: try StrictJSON.encode(good), as: UTF8.self))]".write(toFile: path, atomically: true, encoding: .utf8)

            let file = try network.recordFile()
            #expect(file.records == [good] && file.unreadable.count == 1 && !file.isCorrupt)
            let (restored, skipped) = network.restore(context: context)
            #expect(restored == ["eth1"])
            #expect(skipped.count == 1 && skipped.first?.mac == "fa:16:3e:00:00:09", "\(skipped)")
            #expect(skipped.first?.reason.hasPrefix("the record is not one this agent accepts") == true)

            // Recording another port rewrites the file with the unreadable entry as it was.
            let other = try Self.memberRecord("fa:16:3e:00:00:02", "eth2", "192.0.2.11")
            try network.record(other, in: network.recordFile(), context)
            let written = try String(contentsOfFile: path, encoding: .utf8)
            #expect(written.contains(refused))
            #expect(try network.readRecords().records == [good, other])
            // A new record for the unreadable entry's MAC replaces it.
            let replacing = try Self.memberRecord("fa:16:3e:00:00:09", "eth9", "192.0.2.12")
            try network.record(replacing, in: network.recordFile(), context)
            #expect(try !String(contentsOfFile: path, encoding: .utf8).contains("192.0.2.255"))
            #expect(try network.recordFile().unreadable.isEmpty && (try network.readRecords().records) == [good, other, replacing])
        }
    }

    @Test("a corrupt record file is reported at restore and kept aside, never overwritten, when the next plug is recorded")
    func corruptRecordFileIsKeptAside() throws {
        try withConfiguratorOnBase { network, base in
            let path = base + "/plugged_interfaces.json"
            try "[{\"interface\": \"eth1\", trunc".write(toFile: path, atomically: true, encoding: .utf8)
            let (restored, skipped) = network.restore(context: context)
            #expect(restored.isEmpty && skipped.count == 1 && skipped.first?.reason.contains("not a list of records") == true)
            let record = try Self.memberRecord("fa:16:3e:00:00:01", "eth1")
            try network.record(record, in: network.recordFile(), context)
            let aside = try FileManager.default.contentsOfDirectory(atPath: base).filter { $0.hasPrefix("plugged_interfaces.json.corrupt-") }
            #expect(aside.count == 1)
            #expect(try String(contentsOfFile: base + "/" + (aside.first ?? ""), encoding: .utf8) == "[{\"interface\": \"eth1\", trunc")
            #expect(try network.readRecords().records == [record])
            // Corrupt again (a directory by that name): kept aside under another name, the first one stays.
            try FileManager.default.removeItem(atPath: path)
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            try network.record(record, in: network.recordFile(), context)
            #expect(try FileManager.default.contentsOfDirectory(atPath: base).filter { $0.hasPrefix("plugged_interfaces.json.corrupt-") }.count == 2)
            #expect(try network.readRecords().records == [record])
        }
    }

    @Test("a FIFO or a socket by the record file's name is corrupt: kept aside at the next plug, never read as no records")
    func plantedSpecialFilesAreCorrupt() throws {
        for kind in ["fifo", "socket"] {
            try withConfiguratorOnBase { network, base in
                let path = base + "/plugged_interfaces.json"
                if kind == "fifo" {
                    #expect(mkfifo(path, 0o600) == 0)
                } else {
                    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
                    defer { close(fd) }
                    var address = sockaddr_un()
                    address.sun_family = sa_family_t(AF_UNIX)
                    withUnsafeMutableBytes(of: &address.sun_path) { raw in
                        for (i, byte) in path.utf8.enumerated() where i < raw.count - 1 { raw[i] = byte }
                    }
                    let bound = withUnsafePointer(to: &address) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
                    }
                    #expect(bound == 0)
                }
                #expect(try network.recordFile().isCorrupt, "\(kind)")
                let record = try Self.memberRecord("fa:16:3e:00:00:01", "eth1")
                try network.record(record, in: network.recordFile(), context)
                #expect(try network.readRecords().records == [record], "\(kind)")
                #expect(try FileManager.default.contentsOfDirectory(atPath: base).contains { $0.hasPrefix("plugged_interfaces.json.corrupt-") }, "\(kind)")
            }
        }
    }

    @Test("at start, addressed root links are remembered as the amphora's own, recorded ports left out")
    func startRemembersOwnLinksButNotRecordedPorts() throws {
        try withConfigurator { network in
            // (lo's all-zero MAC is remembered too: no plug can name it.)
            _ = try network.rootLinks(context, except: ["fa:16:3e:00:00:01"])
            #expect(!network.addressedMACs.withLock { $0.contains("fa:16:3e:00:00:01") })
            _ = try network.rootLinks(context, except: [])
            #expect(network.addressedMACs.withLock { $0.contains("fa:16:3e:00:00:01") })
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
