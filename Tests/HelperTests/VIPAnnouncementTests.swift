import AgentConfig
import Foundation
import IPCProtocol
import LinuxSystem
import ProgramLauncher
import Testing

@testable import Helper

/// Gratuitous ARP / unsolicited NA after haproxy starts or reloads in SINGLE topology (upstream's
/// `send_vip_advertisements` in `start_stop_lb`): which addresses, and when. The packets themselves
/// are seen by a peer in the integration tests (VIPAnnouncementTests there).
@Suite("VIP announcements after haproxy start and reload")
struct VIPAnnouncementUnitTests: HAProxyInstanceSuite {
    let context = AuditContext.forTests()

    /// Announcements the instances asked for.
    final class Announced: Sendable {
        let addresses: Shared<[[IPAddress]]>
        let topology: Shared<Topology>
        let announcer: VIPAnnouncer

        init(_ topology: Topology) {
            let addresses = Shared<[[IPAddress]]>([])
            let current = Shared(topology)
            self.addresses = addresses
            self.topology = current
            announcer = VIPAnnouncer(topology: { current.value.withLock { $0 } }, announce: { list, _ in addresses.value.withLock { $0.append(list) } })
        }

        /// Whether `count` announcements were sent and the worker is idle again, within a generous bound.
        func settles(count: Int) -> Bool {
            eventually { addresses.value.withLock({ $0.count }) >= count && !announcer.pending.withLock({ $0.running }) }
        }
    }

    /// A value behind a lock that closures can share.
    final class Shared<Value: Sendable>: Sendable {
        let value: LockedValue<Value>
        init(_ value: Value) { self.value = LockedValue(value) }
    }

    @Test("bind addresses: IPv4, IPv6 without brackets, comma lists, each once; wildcards, loopback and Unix sockets skipped")
    func bindAddresses() throws {
        let text = """
            global
                maxconn 64
            frontend a
                bind 203.0.113.100:80
                bind 203.0.113.100:443 ssl crt /x.pem
            frontend b
                bind 2001:db8::5:8080,203.0.113.101:8080
                bind 0.0.0.0:9000
                bind :::9001
                bind unix@/run/x.sock
                bind 127.0.0.1:9002,::1:9003
            backend p
                server m1 198.51.100.7:80

            """
        #expect(HAProxyConfigText.bindAddresses(in: text).map(\.description) == ["203.0.113.100", "2001:db8::5", "203.0.113.101"])
    }

    @Test("bind addresses of a hostile text: one pass, at most 256 addresses")
    func bindAddressesAreCapped() {
        // 750 distinct documentation addresses (198.51.100.0/24, 203.0.113.0/24, 192.0.2.0/24), twice.
        let prefixes = ["198.51.100", "203.0.113", "192.0.2"]
        let binds = (0..<750).map { "    bind \(prefixes[$0 / 250]).\($0 % 250 + 1):80" }.joined(separator: "\n")
        let text = "frontend f\n" + binds + "\n" + binds + "\n"
        let addresses = HAProxyConfigText.bindAddresses(in: text)
        #expect(addresses.count == HAProxyConfigText.maximumBindAddresses)
        #expect(Set(addresses).count == addresses.count)
        #expect(addresses.first?.description == "198.51.100.1")
    }

    @Test("SINGLE: start, start of a running haproxy and reload announce the VIPs; ACTIVE_STANDBY: never (keepalived does)")
    func whenAnnounced() throws {
        try withTemporaryDirectory("amp-announce") { base in
            // The unit reports active, so start finds it running and reload reloads it.
            let announced = Announced(.single)
            let instances = try makeInstances(on: base, runner: RecordingRunner(stdout: "active\n"), announcer: announced.announcer)
            _ = try instances.upload(upload(octavia(base)), context: context)
            let vip = try IPAddress(validating: "10.0.0.2")

            // The announcement runs in the background after the answer: wait for each one.
            _ = try instances.perform(.start, on: id, context: context)
            #expect(announced.settles(count: 1))
            _ = try instances.perform(.reload, on: id, context: context)
            #expect(announced.settles(count: 2))
            #expect(announced.addresses.value.withLock { $0 } == [[vip], [vip]])

            // Neither an upload, nor a stop, nor anything in ACTIVE_STANDBY queues one.
            _ = try instances.upload(upload(octavia(base)), context: context)
            _ = try instances.perform(.stop, on: id, context: context)
            announced.topology.value.withLock { $0 = .activeStandby }
            _ = try instances.perform(.reload, on: id, context: context)
            _ = try instances.perform(.start, on: id, context: context)
            #expect(!announced.announcer.pending.withLock { $0.running })
            #expect(announced.addresses.value.withLock { $0 }.count == 2)
        }
    }

    @Test("each address is announced under the request that first asked for it")
    func attributedToTheAskingRequest() throws {
        let gate = Shared(true)
        let sent = Shared<[(String, [IPAddress])]>([])
        let announcer = VIPAnnouncer(topology: { .single }, announce: { list, context in
            sent.value.withLock { $0.append((context.command, list)) }
            while gate.value.withLock({ $0 }) { usleep(1_000) }
        })
        let log = context.log
        let first = AuditContext(log: log, requestID: 1, peerUID: 0, command: "haproxy-reload", origin: .helper)
        let second = AuditContext(log: log, requestID: 2, peerUID: 0, command: "haproxy-start", origin: .helper)
        let a = try IPAddress(validating: "203.0.113.100")
        let b = try IPAddress(validating: "203.0.113.101")
        announcer.request([a], context: first)
        #expect(eventually { !sent.value.withLock { $0.isEmpty } })
        announcer.request([a], context: first)
        announcer.request([a, b], context: second)
        gate.value.withLock { $0 = false }
        #expect(eventually { !announcer.pending.withLock { $0.running } })
        let seen = sent.value.withLock { $0 }
        #expect(seen.map(\.0) == ["haproxy-reload", "haproxy-reload", "haproxy-start"])
        #expect(seen.map(\.1) == [[a], [a], [b]])
    }

    @Test("requests while an announcement runs are sent together right after it, each address once")
    func coalesced() throws {
        let gate = Shared(true)
        let sent = Shared<[[IPAddress]]>([])
        let announcer = VIPAnnouncer(topology: { .single }, announce: { list, _ in
            sent.value.withLock { $0.append(list) }
            // The first announcement holds the worker until the test lets it go.
            while gate.value.withLock({ $0 }) { usleep(1_000) }
        })
        let a = try IPAddress(validating: "203.0.113.100")
        let b = try IPAddress(validating: "2001:db8::100")
        announcer.request([a], context: context)
        #expect(eventually { !sent.value.withLock { $0.isEmpty } })
        announcer.request([a, b], context: context)
        announcer.request([b], context: context)
        gate.value.withLock { $0 = false }
        #expect(eventually { !announcer.pending.withLock { $0.running } })
        #expect(sent.value.withLock { $0 } == [[a], [a, b]])
    }

    @Test("keepalived's --log-facility follows administrative_log_facility (direct argv and the systemd units' environment file)")
    func keepalivedLogFacility() throws {
        let (config, _) = try AgentConfiguration.parse(
            text: "[amphora_agent]\namphora_id = 7a1c0b4e-2f4d-4e57-9c3e-0c8d1b2a3f40\nadministrative_log_facility = 4\n", source: "t.conf")
        #expect(KeepalivedLogFacility.argument(config) == "--log-facility=4")
        #expect(KeepalivedLogFacility.environment(config) == "LOG_FACILITY=4\n")
        let (defaults, _) = try AgentConfiguration.parse(text: "[amphora_agent]\namphora_id = 7a1c0b4e-2f4d-4e57-9c3e-0c8d1b2a3f40\n", source: "t.conf")
        #expect(KeepalivedLogFacility.argument(defaults) == "--log-facility=1")
        // The static units read the file the helper writes, with Octavia's default before it.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for unit in ["octavia-keepalived.service", "octavia-keepalivedlvs@.service"] {
            let text = try String(contentsOf: root.appendingPathComponent("systemd/" + unit), encoding: .utf8)
            let lines = text.split(separator: "\n").map(String.init)
            #expect(lines.contains("Environment=LOG_FACILITY=1"), "\(unit)")
            #expect(lines.contains("EnvironmentFile=-/var/lib/octavia/\(KeepalivedLogFacility.environmentFileName)"), "\(unit)")
            #expect(lines.contains { $0.hasPrefix("ExecStart=/usr/sbin/keepalived --log-facility=${LOG_FACILITY} ") }, "\(unit)")
        }
    }
}

/// Whether `condition` holds within a generous bound (for a background thread to get there; not a timing check).
func eventually(_ condition: () -> Bool) -> Bool {
    for _ in 0..<5_000 {
        if condition() { return true }
        usleep(1_000)
    }
    return condition()
}
