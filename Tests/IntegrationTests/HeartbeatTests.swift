import Foundation
import Testing

/// The UDP heartbeat of the real agent, received on loopback and checked with an independent
/// verifier (Python standard library only, as the reference's hb_verify.py).
@Suite("heartbeat", .serialized, .timeLimit(.minutes(4)))
struct HeartbeatTests {
    /// Receives on 127.0.0.1 PORTS (::1 for `v6:PORT`) for SECONDS; for each datagram prints one JSON line: the port, which
    /// of KEYS verifies its HMAC (null if none), the zlib header and the decoded message.
    static let verifier = """
        import hashlib, hmac, json, select, socket, sys, time, zlib
        seconds, keys, ports = float(sys.argv[1]), sys.argv[2].split(","), sys.argv[3:]
        socks = []
        for port in ports:
            if port.startswith("v6:"):
                s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
                s.bind(("::1", int(port[3:])))
            else:
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.bind(("127.0.0.1", int(port)))
            socks.append(s)
        print(json.dumps({"ready": True}), flush=True)
        end = time.time() + seconds
        while time.time() < end:
            ready, _, _ = select.select(socks, [], [], max(0.0, end - time.time()))
            for s in ready:
                data, src = s.recvfrom(65535)
                payload, mac = data[:-64], data[-64:]
                key = None
                for k in keys:
                    if hmac.compare_digest(mac, hmac.new(k.encode(), payload, hashlib.sha256).hexdigest().encode()):
                        key = k
                msg = json.loads(zlib.decompress(payload))
                print(json.dumps({"port": s.getsockname()[1], "key": key, "header": payload[:2].hex(), "size": len(data), "msg": msg}), flush=True)
        """

    struct Heartbeat {
        var port: Int
        var key: String?
        var header: String
        var message: [String: Any]
        var seq: Int { message["seq"] as? Int ?? -1 }
        var listeners: [String: [String: Any]] { message["listeners"] as? [String: [String: Any]] ?? [:] }
        var pools: [String: [String: Any]] { message["pools"] as? [String: [String: Any]] ?? [:] }
        func stat(_ listener: String, _ name: String) -> Int { (listeners[listener]?["stats"] as? [String: Any])?[name] as? Int ?? 0 }
    }

    /// Starts the verifier and waits until its sockets are bound; `collect()` waits for it to finish
    /// and parses what it printed.
    final class Receiver {
        let process = Process()
        let output = Pipe()

        init(seconds: Double, keys: [String], ports: [Int], v6Ports: [Int] = []) throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = ["-c", HeartbeatTests.verifier, String(seconds), keys.joined(separator: ",")] + ports.map(String.init)
                + v6Ports.map { "v6:\($0)" }
            process.standardOutput = output
            try process.run()
            // Bound before the test goes on: a heartbeat sent to a port not yet bound is lost, and its
            // deltas with it (python's start took seconds in CI's loaded, emulated IP_VS guest).
            let fd = output.fileHandleForReading.fileDescriptor
            var byte: UInt8 = 0
            while read(fd, &byte, 1) == 1, byte != UInt8(ascii: "\n") {}
        }

        deinit {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }

        func collect() -> [Heartbeat] {
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return Self.parse(data)
        }

        /// The heartbeats received until `done` holds for them (the verifier is then stopped) or
        /// the verifier's window ends: for a wait whose length depends on the machine's speed.
        func collect(until done: ([Heartbeat]) -> Bool) -> [Heartbeat] {
            var data = Data()
            while true {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }  // the window ended
                data.append(chunk)
                if done(Self.parse(data)) {
                    kill(process.processIdentifier, SIGKILL)
                    break
                }
            }
            process.waitUntilExit()
            return Self.parse(data)  // a cut last line does not parse and is left out
        }

        static func parse(_ data: Data) -> [Heartbeat] {
            String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    let message = object["msg"] as? [String: Any]
                else { return nil }
                return Heartbeat(
                    port: object["port"] as? Int ?? 0, key: object["key"] as? String, header: object["header"] as? String ?? "", message: message)
            }
        }
    }

    static func udpPort() throws -> Int { try AgentHarness.freePort() }

    /// A frontend's counters straight from haproxy's stats socket.
    static func frontendCounters(socket: String, frontend: String) throws -> [String: Int] {
        let script = """
            import csv, socket, sys
            s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b"show stat\\n")
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk: break
                data += chunk
            for row in csv.DictReader(data.decode()[2:].splitlines()):
                if row["pxname"] == sys.argv[2] and row["svname"] == "FRONTEND":
                    print(row["bin"], row["bout"], row["stot"])
            """
        let words = try Shell.run("/usr/bin/python3", ["-c", script, socket, frontend]).stdout.split(separator: " ")
            .map { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1 }
        guard words.count == 3 else { throw HarnessError("no frontend \(frontend) in show stat") }
        return ["bin": words[0], "bout": words[1], "stot": words[2]]
    }

    /// An agent (not started) in `netns` that sends a heartbeat every second, signed with `key`, to
    /// `controllers` (`controller_ip_port_list`).
    static func agent(in netns: TestNamespace, controllers: String, key: String = "k1") throws -> AgentHarness {
        try AgentHarness(extraConfig: """
            netns = \(netns.name)
            [health_manager]
            controller_ip_port_list = \(controllers)
            heartbeat_interval = 1
            heartbeat_key = \(key)
            """)
    }

    /// ``agent(in:controllers:key:)`` in a namespace of its own, started.
    static func startedAgent(controllers: String) throws -> (TestNamespace, AgentHarness) {
        let netns = try TestNamespace()
        let agent = try agent(in: netns, controllers: controllers)
        try agent.start()
        return (netns, agent)
    }

    @Test("signed, round-robin, ver 3 with the running haproxy's listener and pool, deltas that add up across a helper restart")
    func heartbeatsFromRunningHAProxy() throws {
        let p1 = try Self.udpPort(), p2 = try Self.udpPort()
        let (netns, agent) = try Self.startedAgent(controllers: "127.0.0.1:\(p1), 127.0.0.1:\(p2)")
        defer { agent.stop() }
        try netns.startBackend(port: 8081, body: "hello")
        let lb = HAProxyLifecycleTests.uuid(), member = HAProxyLifecycleTests.uuid()
        let pool = "\(HAProxyLifecycleTests.uuid()):\(lb)"  // the controller names backends <pool>:<listener>
        let config = HAProxyLifecycleTests.config(listener: lb, pool: pool, member: member)
        #expect(try agent.request("PUT", "/1.0/loadbalancer/\(AgentHarness.amphoraID)/\(lb)/haproxy", body: Data(config.utf8)).status == 202)
        #expect(try agent.request("PUT", "/1.0/loadbalancer/\(lb)/reload").status == 202)
        // Wait for the member to be UP without touching the frontend (its counters must stay at zero).
        #expect(waitUntil(15) {
            guard let status = try? agent.request("GET", "/v0.1/listeners/\(lb)"),
                let pools = status.object["pools"] as? [[String: Any]], let members = pools.first?["members"] as? [[String: String]]
            else { return false }
            return members.first?[member] == "UP"
        })

        let receiver = try Receiver(seconds: 7, keys: ["k1"], ports: [p1, p2])
        Thread.sleep(forTimeInterval: 1)
        for _ in 0..<10 { #expect(netns.get("http://127.0.0.1:8080/") == "hello") }
        let beats = receiver.collect()
        let totals = try Self.frontendCounters(socket: "\(agent.directory)/base/\(lb).sock", frontend: lb)

        #expect(beats.count >= 5, "about one per second: \(beats.count)")
        #expect(beats.allSatisfy { $0.key == "k1" }, "every HMAC verifies with heartbeat_key")
        #expect(beats.allSatisfy { $0.header == "78da" }, "zlib container, level 9")
        #expect(beats.allSatisfy { $0.message["id"] as? String == AgentHarness.amphoraID && $0.message["ver"] as? Int == 3 })
        // The audit log's head rides along (Octavia's health manager reads only the keys it knows).
        #expect(beats.allSatisfy { (($0.message["audit_head"] as? [String: Any])?["hash"] as? String)?.utf8.count == 64 })
        let ordered = beats.sorted { $0.seq < $1.seq }
        for (a, b) in zip(ordered, ordered.dropFirst()) {
            #expect(b.seq == a.seq + 1, "consecutive sequence numbers")
            #expect(a.port != b.port, "round-robin: consecutive heartbeats go to the other controller")
        }
        #expect(Set(beats.map(\.port)) == [p1, p2])
        for beat in beats {
            #expect(beat.listeners[lb]?["status"] as? String == "OPEN")
            #expect(beat.pools[pool]?["status"] as? String == "UP")
            #expect((beat.pools[pool]?["members"] as? [String: String])?[member] == "UP")
        }
        #expect(beats.reduce(0) { $0 + $1.stat(lb, "totconns") } == 10)
        #expect(beats.reduce(0) { $0 + $1.stat(lb, "totconns") } == totals["stot"])
        #expect(beats.reduce(0) { $0 + $1.stat(lb, "rx") } == totals["bin"])
        #expect(beats.reduce(0) { $0 + $1.stat(lb, "tx") } == totals["bout"])
        #expect(totals["bin"] ?? 0 > 0)
        let counters = "\(agent.directory)/base/stats_counters.json"
        #expect((try FileManager.default.attributesOfItem(atPath: counters)[.posixPermissions] as? Int) == 0o600)

        // A helper restart must not report the same traffic again (the baseline is on disk).
        let helper = try #require(agent.pid(of: "amphora-helper serve"))
        kill(helper, SIGKILL)
        #expect(waitUntil(30) { agent.pid(of: "amphora-helper serve").map { $0 != helper } ?? false })
        let again = try Receiver(seconds: 5, keys: ["k1"], ports: [p1, p2])
        for _ in 0..<5 { #expect(netns.get("http://127.0.0.1:8080/") == "hello") }
        let later = again.collect()
        #expect(later.count >= 2)
        #expect(later.reduce(0) { $0 + $1.stat(lb, "totconns") } == 5, "only the new connections")
    }

    @Test("PUT /1.0/config: the next heartbeat uses the new key and destination; an invalid one is refused")
    func configUpdate() throws {
        let p1 = try Self.udpPort(), p3 = try Self.udpPort()
        let (netns, agent) = try Self.startedAgent(controllers: "127.0.0.1:\(p1)")
        defer { agent.stop() }
        let first = try Receiver(seconds: 2.5, keys: ["k1", "k2"], ports: [p1, p3])
        let old = first.collect()
        #expect(!old.isEmpty && old.allSatisfy { $0.key == "k1" && $0.port == p1 })

        let original = try String(contentsOfFile: agent.configPath, encoding: .utf8)
        let invalid = original.replacingOccurrences(of: "heartbeat_interval = 1", with: "heartbeat_interval = often")
        let refused = try agent.request("PUT", "/1.0/config", body: Data(invalid.utf8))
        #expect(refused.status == 400)
        #expect(refused.object["message"] as? String == "Unable to update amphora-agent configuration.")
        #expect((refused.object["details"] as? String)?.contains("heartbeat_interval") == true)
        #expect(try String(contentsOfFile: agent.configPath, encoding: .utf8) == original)

        // The controller's template has no [privsep] section: the running one is kept.
        let uploaded = original.components(separatedBy: "[privsep]")[0]
            + "[health_manager]\ncontroller_ip_port_list = 127.0.0.1:\(p3)\nheartbeat_interval = 1\nheartbeat_key = k2\n"
        let receiver = try Receiver(seconds: 3.5, keys: ["k1", "k2"], ports: [p1, p3])
        let accepted = try agent.request("PUT", "/1.0/config", body: Data(uploaded.utf8))
        #expect(accepted.status == 202, "\(accepted.text)")
        #expect(accepted.object["message"] as? String == "OK")
        let beats = receiver.collect()
        let afterUpdate = beats.filter { $0.port == p3 }
        #expect(afterUpdate.count >= 2, "\(beats.map { ($0.port, $0.key ?? "-") })")
        #expect(afterUpdate.allSatisfy { $0.key == "k2" }, "signed with the new key")
        #expect(beats.filter { $0.port == p1 }.count <= 1, "at most one heartbeat was already under way")
        let stored = try String(contentsOfFile: agent.configPath, encoding: .utf8)
        #expect(stored.contains("heartbeat_key = k2") && stored.contains("[privsep]") && stored.contains("netns = \(netns.name)"))
        #expect((try FileManager.default.attributesOfItem(atPath: agent.configPath)[.posixPermissions] as? Int) == 0o600)
    }

    @Test("controller host names from the test's own /etc/hosts: resolved before confinement, and under seccomp after PUT /1.0/config; [v6]:port")
    func hostNames() throws {
        let p1 = try Self.udpPort(), p2 = try Self.udpPort(), p3 = try Self.udpPort(), p4 = try Self.udpPort()
        // The agent sees these files at /etc/hosts and /etc/resolv.conf (a private mount namespace);
        // DNS goes to loopback, where nothing answers: a missing name fails fast and stays on this host.
        let etc = FileManager.default.temporaryDirectory.appendingPathComponent("etc-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: etc, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: etc) }
        try "127.0.0.1 localhost\n::1 localhost\n127.0.0.1 hm-a.octavia.test\n127.0.0.1 hm-b.octavia.test\n::1 hm-v6.octavia.test\n"
            .write(toFile: etc + "/hosts", atomically: true, encoding: .utf8)
        try "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n".write(toFile: etc + "/resolv.conf", atomically: true, encoding: .utf8)
        for file in ["hosts", "resolv.conf"] { chmod(etc + "/" + file, 0o644) }
        chmod(etc, 0o755)
        let netns = try TestNamespace()
        let agent = try Self.agent(in: netns, controllers: "hm-a.octavia.test:\(p1)")
        agent.privateBindMounts = [(etc + "/hosts", "/etc/hosts"), (etc + "/resolv.conf", "/etc/resolv.conf")]
        try agent.start()
        defer { agent.stop() }
        let first = try Receiver(seconds: 2.5, keys: ["k1"], ports: [p1]).collect()
        #expect(!first.isEmpty && first.allSatisfy { $0.port == p1 && $0.key == "k1" }, "hm-a.octavia.test resolved from the test's hosts file")
        let log = agent.log()
        let resolved = try #require(log.range(of: "controller address resolved"), "\(log)")
        let serving = try #require(log.range(of: "front serving"))
        #expect(resolved.lowerBound < serving.lowerBound, "resolved at start, before the front confines itself")
        let front = try #require(agent.pid(of: "amphora-front"))
        #expect(ProcessTable.status(front, "Seccomp") == "2", "the front runs under its seccomp filter")

        // New destinations, resolved by the confined front: a name, an IPv6 literal, an IPv6-only name, a missing name.
        let original = try String(contentsOfFile: agent.configPath, encoding: .utf8)
        let uploaded = original.components(separatedBy: "[privsep]")[0]
            + "[health_manager]\ncontroller_ip_port_list = hm-b.octavia.test:\(p2), [::1]:\(p3), hm-v6.octavia.test:\(p4),"
            + " hm-missing.octavia.test:\(p1)\nheartbeat_interval = 1\nheartbeat_key = k1\n"
        // hm-v6 is listed as ::1 only, but glibc's files backend answers an IPv4 lookup of ::1 with
        // 127.0.0.1 (and IPv4 is asked first): its port listens on both.
        let receiver = try Receiver(seconds: 9, keys: ["k1"], ports: [p1, p2, p4], v6Ports: [p3, p4])
        let accepted = try agent.request("PUT", "/1.0/config", body: Data(uploaded.utf8))
        #expect(accepted.status == 202, "\(accepted.text)")
        let beats = receiver.collect()
        for port in [p2, p3, p4] { #expect(beats.contains { $0.port == port }, "\(port) of \([p2, p3, p4]): \(beats.map(\.port))\n\(agent.log())") }
        #expect(agent.log().contains("controller=hm-v6.octavia.test:\(p4)"), "the IPv6-only name resolved")
        #expect(beats.filter { $0.port == p1 }.count <= 1, "the missing name gets nothing (one beat may have been under way)")
        #expect(agent.pid(of: "amphora-front") == front, "the same front, alive: name lookups are within its seccomp filter")
        #expect(agent.log().contains("controller host name does not resolve"))
    }

    @Test("skipped while keepalived is configured but not running, resumed once it runs")
    func keepalivedGate() throws {
        let p1 = try Self.udpPort()
        let netns = try TestNamespace()
        let peer = try TestNamespace()
        try Shell.run("/usr/sbin/ip", ["-n", netns.name, "link", "add", "eth1", "type", "veth", "peer", "name", "eth9", "netns", peer.name])
        try netns.run(["/usr/sbin/ip", "addr", "add", "198.51.100.249/30", "dev", "eth1"])
        try netns.run(["/usr/sbin/ip", "link", "set", "eth1", "up"])
        let agent = try Self.agent(in: netns, controllers: "127.0.0.1:\(p1)")
        try agent.start()
        defer {
            _ = try? agent.request("PUT", "/1.0/vrrp/stop")
            agent.stop()
        }
        #expect(!(try Receiver(seconds: 2.5, keys: ["k1"], ports: [p1]).collect().isEmpty))

        let vrrp = "global_defs {\n    router_id t\n}\nvrrp_instance v {\n    state BACKUP\n    interface eth1\n    virtual_router_id 51\n"
            + "    priority 90\n    advert_int 1\n    virtual_ipaddress {\n        198.51.100.250/30 dev eth1\n    }\n}\n"
        let upload = try agent.request("PUT", "/1.0/vrrp/upload", body: Data(vrrp.utf8))
        #expect(upload.status == 200, "\(upload.text)")
        let skipped = try Receiver(seconds: 3.5, keys: ["k1"], ports: [p1]).collect()
        #expect(skipped.count <= 1, "configured but not running: no heartbeat (one may have been under way): \(skipped.count)")

        let start = try agent.request("PUT", "/1.0/vrrp/start")
        #expect(start.status == 202, "\(start.text)")
        let resumed = try Receiver(seconds: 3, keys: ["k1"], ports: [p1]).collect()
        #expect(resumed.count >= 2, "keepalived runs: heartbeats again")
        if let last = skipped.last, let next = resumed.first {
            #expect(next.seq == last.seq + 1, "a skipped heartbeat takes no sequence number")
        }
    }
}
