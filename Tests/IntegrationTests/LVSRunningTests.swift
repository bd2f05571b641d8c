import Foundation
import Testing

/// A UDP listener that really balances, through the kernel's IP Virtual Server: it needs a kernel
/// with IP_VS. This machine's has none, so `scripts/test.sh` runs this suite a second time inside a
/// KVM guest booted with Debian's kernel (`scripts/with-ipvs-kernel.sh`); elsewhere it is skipped.
///
/// Three namespaces: a client (198.51.100.2) routed to the amphora (198.51.100.1), whose namespace
/// holds the VIP 203.0.113.100 and keepalived's virtual service, and a member namespace
/// (192.0.2.21 and .22) with a UDP echo server, routed back through the amphora (LVS NAT).
@Suite(
    "UDP and SCTP listeners on a kernel with IP_VS", .serialized, .timeLimit(.minutes(8)),
    .enabled(if: KernelFeatures.ipvs, "the kernel has no IP_VS: scripts/with-ipvs-kernel.sh runs this suite in a guest that has it"))
struct LVSRunningTests {
    static let vip = "203.0.113.100"
    static let pool = "99999999-0000-4000-8000-0000000000aa"
    static let member1 = "99999999-0000-4000-8000-0000000000c1"
    static let member2 = "99999999-0000-4000-8000-0000000000c2"
    static let member3 = "99999999-0000-4000-8000-0000000000c3"

    /// Octavia's LVS rendering for one UDP listener on VIP:53 with a UDP-CONNECT monitor (every
    /// second, 3 failures to go down: an emulated guest on a busy host can miss one) and three
    /// members: .21 (weight 1), .22 (weight 0: drained), and a disabled one.
    static func config(netns: String, basePath: String, listener: String) -> String {
        func member(_ id: String, _ address: String, weight: Int) -> String {
            """
                # Configuration for Member \(id)
                real_server \(address) 53 {
                    weight \(weight)
                    MISC_CHECK {
                        misc_path "\(basePath)/lvs/check/udp_check.sh \(address) 53"
                        misc_timeout 5
                    }
                }
            """
        }
        return """
            # Configuration for Loadbalancer 11111111-2222-4333-8444-555555555555
            # Configuration for Listener \(listener)

            net_namespace \(netns)

            virtual_server_group ipv4-group {
                \(vip) 53
            }

            virtual_server group ipv4-group {
                lb_algo rr
                lb_kind NAT
                protocol UDP
                delay_loop 1
                delay_before_retry 1
                retry 3

                # Configuration for Pool \(pool)
                # Configuration for HealthMonitor 99999999-0000-4000-8000-0000000000dd
            \(member(member1, "192.0.2.21", weight: 1))
            \(member(member2, "192.0.2.22", weight: 0))
                # Member \(member3) is disabled

            }

            """
    }

    /// The namespaces of a listener test: the amphora (the VIP on its loopback, forwarding on), a
    /// client that routes the VIP through it (198.51.100.0/24, link `to-client`/`to-amp`), and the
    /// members (192.0.2.21, link `to-members`/`to-amp`) whose default route is the amphora.
    static func namespaces() throws -> (amp: TestNamespace, client: TestNamespace, members: TestNamespace) {
        let amp = try TestNamespace(), client = try TestNamespace(), members = try TestNamespace()
        try link(amp, "to-client", "198.51.100.1/24", client, "to-amp", "198.51.100.2/24")
        try link(amp, "to-members", "192.0.2.1/24", members, "to-amp", "192.0.2.21/24")
        try amp.run(["/usr/sbin/ip", "addr", "add", "\(vip)/32", "dev", "lo"])
        try amp.run(["/usr/sbin/sysctl", "-qw", "net.ipv4.ip_forward=1"])
        try client.run(["/usr/sbin/ip", "route", "add", "\(vip)/32", "via", "198.51.100.1"])
        try members.run(["/usr/sbin/ip", "route", "add", "default", "via", "192.0.2.1"])
        return (amp, client, members)
    }

    /// A veth pair between two test namespaces with an address on each end.
    static func link(_ a: TestNamespace, _ aName: String, _ aAddress: String, _ b: TestNamespace, _ bName: String, _ bAddress: String) throws {
        try Shell.run("/usr/sbin/ip", ["link", "add", aName, "netns", a.name, "type", "veth", "peer", "name", bName, "netns", b.name])
        try a.run(["/usr/sbin/ip", "addr", "add", aAddress, "dev", aName])
        try b.run(["/usr/sbin/ip", "addr", "add", bAddress, "dev", bName])
        try a.run(["/usr/sbin/ip", "link", "set", aName, "up"])
        try b.run(["/usr/sbin/ip", "link", "set", bName, "up"])
    }

    /// Sends one datagram from each of `flows` new sockets to VIP:53 and counts the echoed replies.
    static func sendFlows(from client: TestNamespace, flows: Int) throws -> Int {
        let script = """
            import socket, sys
            ok = 0
            for i in range(int(sys.argv[2])):
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(2)
                s.sendto(b"ping %d" % i, (sys.argv[1], 53))
                try:
                    data, _ = s.recvfrom(2048)
                    ok += data == b"ping %d" % i * 2
                except OSError:
                    pass
                s.close()
            print(ok)
            """
        let output = try client.run(["/usr/bin/python3", "-c", script, vip, String(flows)]).stdout
        return Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// `ipvsadm -Ln --stats --exact` in the amphora namespace: the service's Conns, InBytes, OutBytes.
    static func serviceCounters(_ amp: TestNamespace, protocolName: String = "UDP", port: Int = 53) throws -> [String: Int] {
        let text = try amp.run(["/usr/sbin/ipvsadm", "-Ln", "--stats", "--exact"]).stdout
        for line in text.split(separator: "\n") where line.hasPrefix(protocolName) && line.contains("\(vip):\(port) ") {
            let words = line.split(separator: " ").map(String.init)
            guard words.count >= 7 else { break }
            return ["conns": Int(words[2]) ?? -1, "inBytes": Int(words[5]) ?? -1, "outBytes": Int(words[6]) ?? -1]
        }
        throw HarnessError("no \(protocolName) \(vip):\(port) service in:\n\(text)")
    }

    @Test("started, balanced and reported: OPEN with IPVS counters as deltas, member states from the checks, gone when stopped")
    func balancesAndReports() throws {
        let (amp, client, members) = try Self.namespaces()
        try members.run(["/usr/sbin/ip", "addr", "add", "192.0.2.22/24", "dev", "to-amp"])
        // Both members live in one namespace, so their port-unreachable replies to the health checks
        // (udp_check.sh: `nc -uz`, which fails only on such a reply) share one ICMP rate limit: lift it,
        // or every other check of a stopped member would pass.
        try members.run(["/usr/sbin/sysctl", "-qw", "net.ipv4.icmp_ratelimit=0"])
        let echo = try members.start(["/usr/bin/python3", "-c", """
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("0.0.0.0", 53))
            while True:
                data, peer = s.recvfrom(2048); s.sendto(data * 2, peer)
            """])

        let port = try HeartbeatTests.udpPort()
        let agent = try HeartbeatTests.agent(in: amp, controllers: "127.0.0.1:\(port)", key: "lvs-key")
        let basePath = try LVSListenerTests.relocateBasePath(agent)
        defer { try? FileManager.default.removeItem(atPath: basePath) }
        try agent.start()
        defer { agent.stop() }

        let listener = UUID().uuidString.lowercased()
        let upload = try agent.request(
            "PUT", "/1.0/listeners/\(AgentHarness.amphoraID)/\(listener)/udp_listener",
            body: Data(Self.config(netns: amp.name, basePath: basePath, listener: listener).utf8))
        #expect(upload.status == 200, "\(upload.text)")
        let started = try agent.request("PUT", "/1.0/loadbalancer/\(listener)/start")
        try #require(started.status == 202, "\(started.text)\n\(agent.log())")
        #expect(started.object["details"] as? String == "keepalivedlvs listener \(listener) started")
        #expect(waitUntil(10) { (try? Self.serviceCounters(amp)) != nil }, "keepalived put the virtual service in the table")

        let listed = try agent.request("GET", "/1.0/listeners")
        #expect((listed.json as? [[String: String]] ?? []).contains(["status": "ACTIVE", "uuid": listener, "type": "UDP"]), "\(listed.text)")
        #expect(try agent.request("GET", "/1.0/details").object["lvs_listener_process_count"] as? Int == 1)

        // Traffic through the VIP, while heartbeats are collected. The kernel refreshes the counters
        // ipvsadm shows every 2 s (its rate estimator): wait for them, and for the heartbeats until
        // their deltas add up to the totals. How long that takes depends on the machine (the emulated
        // guest is slow), so the window is long and ends early once the sums match and one more
        // heartbeat came.
        let trafficStart = Date()
        func progress(_ step: String) { print("balancesAndReports: \(step) after \(Int(Date().timeIntervalSince(trafficStart))) s") }
        // (In one CI run the emulated guest, beside the boot test's guest, showed the count after 36 s.)
        let receiver = try HeartbeatTests.Receiver(seconds: 240, keys: ["lvs-key"], ports: [port])
        #expect(try Self.sendFlows(from: client, flows: 20) == 20, "every datagram came back through IPVS")
        #expect(waitUntil(120) { (try? Self.serviceCounters(amp))?["conns"] == 20 }, "IPVS counted 20 flows")
        let totals = try Self.serviceCounters(amp)
        progress("20 flows sent and counted")
        func sum(_ beats: [HeartbeatTests.Heartbeat], _ name: String) -> Int { beats.reduce(0) { $0 + $1.stat(listener, name) } }
        func addUp(_ received: [HeartbeatTests.Heartbeat]) -> Bool {
            sum(received, "totconns") == totals["conns"] && sum(received, "rx") == totals["inBytes"] && sum(received, "tx") == totals["outBytes"]
        }
        // Until a heartbeat with the listener came after the deltas already added up: that one must
        // report nothing new (an agent that sent running totals would count the flows again).
        let beats = receiver.collect { received in
            received.count >= 2 && received.last?.listeners[listener] != nil && addUp(Array(received.dropLast()))
        }.filter { $0.listeners[listener] != nil }
        progress("\(beats.count) heartbeats collected")
        try #require(!beats.isEmpty, "heartbeats carry the UDP listener:\n\(agent.log())")
        #expect(beats.allSatisfy { $0.key == "lvs-key" && $0.listeners[listener]?["status"] as? String == "OPEN" })
        // Every heartbeat since the start reported deltas: they add up to the kernel's totals.
        #expect(sum(beats, "totconns") == totals["conns"])
        #expect(sum(beats, "rx") == totals["inBytes"])
        #expect(sum(beats, "tx") == totals["outBytes"])
        let pool = try #require(beats.last?.pools[Self.pool], "the pool is keyed by its bare id: \(beats.last?.message ?? [:])")
        #expect(pool["status"] as? String == "UP")
        #expect(pool["members"] as? [String: String] == [Self.member1: "UP", Self.member2: "DRAIN", Self.member3: "MAINT"])

        // The members stop answering: keepalived's checks take them out; the heartbeat says DOWN.
        members.stop(echo)
        progress("members stopped")
        let removed = try waitUntil(60) {
            let table = try amp.run(["/usr/sbin/ipvsadm", "-Ln"]).stdout
            return !table.contains("192.0.2.21") && !table.contains("192.0.2.22")
        }
        let table = (try? amp.run(["/usr/sbin/ipvsadm", "-Ln"]).stdout) ?? ""
        try #require(removed, "keepalived's checks took the members out:\n\(table)")
        progress("members out of the table")
        let downMembers = [Self.member1: "DOWN", Self.member2: "DOWN", Self.member3: "MAINT"]
        let down = try HeartbeatTests.Receiver(seconds: 60, keys: ["lvs-key"], ports: [port]).collect { received in
            received.last?.pools[Self.pool]?["members"] as? [String: String] == downMembers
        }
        let downPool = try #require(down.last?.pools[Self.pool])
        #expect(downPool["status"] as? String == "DOWN")
        #expect(downPool["members"] as? [String: String] == downMembers)

        // Stopped: not in the heartbeat any more (upstream reports running LVS listeners only).
        #expect(try agent.request("PUT", "/1.0/loadbalancer/\(listener)/stop").status == 202)
        let after = try HeartbeatTests.Receiver(seconds: 30, keys: ["lvs-key"], ports: [port]).collect { $0.count >= 2 }
        #expect(!after.isEmpty)
        #expect(after.allSatisfy { $0.listeners[listener] == nil && $0.pools[Self.pool] == nil })
        #expect((try? Self.serviceCounters(amp)) == nil, "keepalived removed its virtual service")
        let audit = (try? String(contentsOfFile: agent.auditLog, encoding: .utf8)) ?? ""
        #expect(!audit.isEmpty && !audit.contains("sbin/ipvsadm"), "the IPVS table is read over netlink: no process per heartbeat")
    }
}

extension LVSRunningTests {
    /// Octavia's rendering of an SCTP listener on VIP:9000 with an SCTP health monitor (2 s
    /// timeout, checked every second) and one member, 192.0.2.21:9000.
    static func sctpConfig(netns: String, listener: String) -> String {
        """
        # Configuration for Loadbalancer 11111111-2222-4333-8444-555555555555
        # Configuration for Listener \(listener)

        net_namespace \(netns)

        virtual_server_group ipv4-group {
            \(vip) 9000
        }

        virtual_server group ipv4-group {
            lb_algo rr
            lb_kind NAT
            protocol SCTP
            delay_loop 1
            delay_before_retry 1
            retry 1

            # Configuration for Pool \(pool)
            # Configuration for HealthMonitor 99999999-0000-4000-8000-0000000000dd
            # Configuration for Member \(member1)
            real_server 192.0.2.21 9000 {
                weight 1
                MISC_CHECK {
                    misc_path "amphora-health-checker sctp -t 2 192.0.2.21 9000"
                    misc_timeout 3
                }
            }

        }

        """
    }

    @Test("an SCTP listener with an SCTP health monitor: amphora-health-checker sees the member listen, associations counted, then refuse")
    func sctpHealthMonitor() throws {
        let (amp, client, members) = try Self.namespaces()
        // A real SCTP echo server (the kernel's SCTP, loaded on demand): it answers an INIT with an INIT ACK.
        let server = try members.start(["/usr/bin/python3", "-c", """
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_SCTP)
            s.bind(("0.0.0.0", 9000)); s.listen(8)
            while True:
                c, _ = s.accept(); c.sendall(c.recv(64)); c.close()
            """])

        let port = try HeartbeatTests.udpPort()
        let agent = try HeartbeatTests.agent(in: amp, controllers: "127.0.0.1:\(port)", key: "sctp-key")
        try agent.start()
        defer { agent.stop() }
        let listener = UUID().uuidString.lowercased()
        let upload = try agent.request(
            "PUT", "/1.0/listeners/\(AgentHarness.amphoraID)/\(listener)/udp_listener", body: Data(Self.sctpConfig(netns: amp.name, listener: listener).utf8))
        #expect(upload.status == 200, "\(upload.text)")
        let started = try agent.request("PUT", "/1.0/loadbalancer/\(listener)/start")
        try #require(started.status == 202, "\(started.text)\n\(agent.log())")

        func memberState() throws -> String? {
            let beats = try HeartbeatTests.Receiver(seconds: 2.5, keys: ["sctp-key"], ports: [port]).collect()
            return (beats.last?.pools[Self.pool]?["members"] as? [String: String])?[Self.member1]
        }
        let table = { (try? amp.run(["/usr/sbin/ipvsadm", "-Ln"]).stdout) ?? "" }
        #expect(waitUntil(20) { table().contains("SCTP 203.0.113.100:9000") && table().contains("192.0.2.21:9000") }, "\(table())")
        #expect(try memberState() == "UP", "the check found the member listening:\n\(table())")

        // Five SCTP associations through the VIP, counted in the heartbeat as IPVS counted them.
        let receiver = try HeartbeatTests.Receiver(seconds: 10, keys: ["sctp-key"], ports: [port])
        let served = try client.run(["/usr/bin/python3", "-c", """
            import socket, sys
            ok = 0
            for i in range(5):
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_SCTP); s.settimeout(5)
                try:
                    s.connect((sys.argv[1], 9000)); s.sendall(b"hello %d" % i); ok += s.recv(64) == b"hello %d" % i
                except OSError:
                    pass
                s.close()
            print(ok)
            """, Self.vip]).stdout
        #expect(served.trimmingCharacters(in: .whitespacesAndNewlines) == "5", "every association was echoed through IPVS")
        #expect(waitUntil(10) { (try? Self.serviceCounters(amp, protocolName: "SCTP", port: 9000))?["conns"] == 5 })
        let beats = receiver.collect().filter { $0.listeners[listener] != nil }
        #expect(beats.reduce(0) { $0 + $1.stat(listener, "totconns") } == 5, "\(beats.map(\.message))")

        // The server stops: the member's kernel answers the INIT with an ABORT, keepalived takes it out.
        members.stop(server)
        #expect(waitUntil(30) { !table().contains("192.0.2.21:9000") }, "the check saw the ABORT:\n\(table())")
        #expect(try memberState() == "DOWN")
    }
}

/// What the running kernel offers the tests.
enum KernelFeatures {
    /// IP Virtual Server (built in, or the ip_vs module loaded).
    static var ipvs: Bool { FileManager.default.fileExists(atPath: "/proc/net/ip_vs") }
}
