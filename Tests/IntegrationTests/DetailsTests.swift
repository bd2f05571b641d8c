import Foundation
import Testing

/// `GET /v0.1/details` and `GET /1.0/details` against the real agent, cross-checked with /proc and statvfs.
@Suite("amphora details", .serialized, .timeLimit(.minutes(3)))
struct DetailsTests {
    static func procCPU() -> [UInt64] {
        let text = (try? String(contentsOfFile: "/proc/stat", encoding: .utf8)) ?? ""
        let line = text.split(separator: "\n").first { $0.hasPrefix("cpu ") } ?? ""
        return line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
    }

    static func meminfo() -> [String: UInt64] {
        var values: [String: UInt64] = [:]
        for line in ((try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? "").split(separator: "\n") {
            let parts = line.split(separator: ":")
            if parts.count == 2, let value = UInt64(parts[1].split(separator: " ").first ?? "") { values[String(parts[0])] = value }
        }
        return values
    }

    /// An integer JSON number (nil for strings, booleans and fractions).
    static func int(_ value: Any?) -> Int? {
        guard let number = value as? NSNumber else { return nil }
        return Double(number.intValue) == number.doubleValue ? number.intValue : nil
    }

    func near(_ a: Int?, _ b: UInt64, tolerance: UInt64) -> Bool {
        guard let a, a >= 0 else { return false }
        return UInt64(a) >= b.subtractingClamped(tolerance) && UInt64(a) <= b + tolerance
    }

    @Test("every field, the right types, values matching /proc, statvfs, the namespace and haproxy")
    func details() throws {
        let netns = try TestNamespace()
        let peer = try TestNamespace()
        // eth1 in the amphora namespace, its peer in a second namespace: namespace addresses only.
        try Shell.run("/usr/sbin/ip", ["-n", netns.name, "link", "add", "eth1", "type", "veth", "peer", "name", "eth9", "netns", peer.name])
        try netns.run(["/usr/sbin/ip", "addr", "add", "198.51.100.253/30", "dev", "eth1"])
        try netns.run(["/usr/sbin/ip", "link", "set", "eth1", "up"])
        try peer.run(["/usr/sbin/ip", "addr", "add", "198.51.100.254/30", "dev", "eth9"])
        try peer.run(["/usr/sbin/ip", "link", "set", "eth9", "up"])

        let agent = try AgentHarness(extraConfig: "netns = \(netns.name)")
        try agent.start()
        defer { agent.stop() }
        try netns.startBackend(port: 8081, body: "ok")
        let lb = try HAProxyLifecycleTests.deployLoadBalancer(agent, "reload").lb

        Thread.sleep(forTimeInterval: 1.5)  // the helper's first sample is at least this old: a window of over a second
        let before = try agent.request("GET", "/1.0/details").object
        let rxBefore = Self.int((before["networks"] as? [String: Any])?["eth1"].flatMap { ($0 as? [String: Any])?["network_rx"] }) ?? -1
        #expect(rxBefore >= 0, "\(before)")
        // 200 datagrams of 1000 bytes from the peer namespace to eth1.
        try peer.run(["/usr/bin/python3", "-c", """
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            for _ in range(200): s.sendto(b"x" * 1000, ("198.51.100.253", 9))
            """])
        // The front answers details from a sample at most a second old (SamplingHelperClient).
        Thread.sleep(forTimeInterval: 1.1)

        let cpuBefore = Self.procCPU()
        let memoryBefore = Self.meminfo()
        let current = try agent.request("GET", "/1.0/details")
        let cpuAfter = Self.procCPU()
        let memory = Self.meminfo()
        /// A kB value read by the agent between our two reads of /proc/meminfo (other tests may run meanwhile).
        func meminfoValue(_ value: Any?, _ key: String, before: [String: UInt64], after: [String: UInt64]) -> Bool {
            let a = before[key] ?? 0, b = after[key] ?? 0
            return near(Self.int(value), (min(a, b) + max(a, b)) / 2, tolerance: (max(a, b) - min(a, b)) / 2 + 16 * 1024)
        }
        var st = statvfs()
        #expect(statvfs("/", &st) == 0)
        #expect(current.status == 200)
        #expect(current.headers["content-type"] == "application/json")
        let d = current.object

        // 1.0: upstream's shape.
        let expectedKeys: Set<String> = [
            "hostname", "haproxy_version", "api_version", "networks", "active", "haproxy_count", "cpu_count", "cpu", "memory", "disk",
            "load", "active_tuned_profiles", "topology", "topology_status", "listeners", "packages", "lvs_listener_process_count",
            "keepalived_version", "ipvsadm_version", "audit_head",
        ]
        #expect(Set(d.keys) == expectedKeys)
        // The audit log's head, an anchor off the amphora (audit-verify --anchor SEQ:HASH).
        let auditHead = d["audit_head"] as? [String: Any]
        #expect((auditHead?["seq"] as? Int ?? 0) > 0 && (auditHead?["hash"] as? String)?.utf8.count == 64 && auditHead?["epoch"] is Int)
        let hostname = try Shell.run("/usr/bin/hostname", []).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(d["hostname"] as? String == hostname)
        #expect((d["haproxy_version"] as? String)?.split(separator: ".").count ?? 0 >= 2)
        #expect(d["api_version"] as? String == "1.0")
        #expect(current.text.contains(#""active":true"#))
        #expect(Self.int(d["haproxy_count"]) == 1)
        #expect(Self.int(d["cpu_count"]) == sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        let cpu = try #require(d["cpu"] as? [String: Any])
        #expect(Set(cpu.keys) == ["total", "user", "system", "soft_irq"])
        let total = try #require(Self.int(cpu["total"]))
        #expect(UInt64(total) >= cpuBefore.reduce(0, +) && UInt64(total) <= cpuAfter.reduce(0, +))
        for (key, index) in [("user", 0), ("system", 2), ("soft_irq", 6)] {
            let text = try #require(cpu[key] as? String)
            let value = try #require(UInt64(text))
            #expect(value >= cpuBefore[index] && value <= cpuAfter[index], "\(key)")
        }
        let mem = try #require(d["memory"] as? [String: Any])
        #expect(Set(mem.keys) == ["total", "free", "buffers", "cached", "swap_used", "shared", "slab"])
        #expect(Self.int(mem["total"]) == Int(memory["MemTotal"] ?? 0))
        for (field, key) in [("free", "MemFree"), ("cached", "Cached"), ("buffers", "Buffers"), ("swap_used", "SwapCached"), ("shared", "Shmem"), ("slab", "Slab")] {
            #expect(meminfoValue(mem[field], key, before: memoryBefore, after: memory), "\(field)")
        }
        let disk = try #require(d["disk"] as? [String: Any])
        let frsize = UInt64(st.f_frsize)
        #expect(near(Self.int(disk["used"]), (UInt64(st.f_blocks) - UInt64(st.f_bfree)) * frsize, tolerance: 256 << 20))
        #expect(near(Self.int(disk["available"]), UInt64(st.f_bavail) * frsize, tolerance: 256 << 20))
        let load = try #require(d["load"] as? [String])
        #expect(load.count == 3 && load.allSatisfy { Double($0) != nil })
        #expect(d["active_tuned_profiles"] is String)
        #expect(d["topology"] as? String == "SINGLE")
        #expect(d["topology_status"] as? String == "OK")
        #expect(d["listeners"] as? [String] == [lb])
        #expect((d["packages"] as? [String: Any])?.isEmpty == true)
        #expect(Self.int(d["lvs_listener_process_count"]) == 0)
        let networks = try #require(d["networks"] as? [String: [String: Any]])
        #expect(Array(networks.keys) == ["eth1"], "only eth* links of the amphora namespace")
        let rxAfter = try #require(Self.int(networks["eth1"]?["network_rx"]))
        #expect(rxAfter - rxBefore >= 200 * 1000, "cumulative IFLA_STATS64 rx bytes")
        #expect(Self.int(networks["eth1"]?["network_tx"]) != nil)

        // v0.1: the seed's fields and units, from a fresh sample (the front reuses one for up to a second).
        // /proc/meminfo read before and after brackets the agent's values; a machine busy with other
        // work (CI builds beside the suite) can move Committed_AS by tens of MiB within the request,
        // so a sample whose values fall outside is taken again, up to five times.
        let volatileFields = [("available", "MemAvailable"), ("committed_as", "Committed_AS"), ("free", "MemFree"), ("cached", "Cached")]
        var seedMemoryBefore: [String: UInt64] = [:], seedMemoryAfter: [String: UInt64] = [:], seed: [String: Any] = [:]
        for _ in 1...5 {
            Thread.sleep(forTimeInterval: 1.1)
            seedMemoryBefore = Self.meminfo()
            seed = try agent.request("GET", "/v0.1/details").object
            seedMemoryAfter = Self.meminfo()
            let sampled = seed["memory"] as? [String: Any] ?? [:]
            if volatileFields.allSatisfy({ meminfoValue(sampled[$0.0], $0.1, before: seedMemoryBefore, after: seedMemoryAfter) }) { break }
        }
        let seedKeys: Set<String> = [
            "hostname", "uuid", "haproxy_version", "api_version", "networks", "active", "haproxy_count", "cpu", "memory", "disk",
            "load", "topology", "topology_status", "listeners", "packages",
        ]
        #expect(Set(seed.keys) == seedKeys)
        #expect(seed["uuid"] as? String == AgentHarness.amphoraID)
        #expect(seed["api_version"] as? String == "0.1")
        #expect(try agent.request("GET", "/v0.1/details").text.contains(#""active":true"#))
        #expect(Self.int(seed["haproxy_count"]) == 1)
        let seedNetworks = try #require(seed["networks"] as? [String: [String: Any]])
        let rate = try #require(Self.int(seedNetworks["eth1"]?["network_rx"]))
        #expect(rate > 0, "bytes/s over the window after 200 kB arrived")
        #expect(rate <= 200 * 1000 + 10_000, "a rate, not a total: the window is at least one second")
        let seedCPU = try #require(seed["cpu"] as? [String: Any])
        #expect(Set(seedCPU.keys) == ["total", "user", "system", "soft_irq"])
        for value in seedCPU.values {
            let percent = try #require((value as? NSNumber)?.doubleValue)
            #expect(percent >= 0 && percent <= 100)
        }
        let seedMemory = try #require(seed["memory"] as? [String: Any])
        #expect(Set(seedMemory.keys) == ["total", "free", "available", "buffers", "cached", "swap_used", "shared", "slab", "committed_as"])
        #expect(Self.int(seedMemory["total"]) == Int(memory["MemTotal"] ?? 0))
        for (field, key) in volatileFields {
            #expect(meminfoValue(seedMemory[field], key, before: seedMemoryBefore, after: seedMemoryAfter), "\(field)")
        }
        var swapBefore = seedMemoryBefore, swapAfter = seedMemoryAfter
        swapBefore["used"] = (swapBefore["SwapTotal"] ?? 0) - (swapBefore["SwapFree"] ?? 0)
        swapAfter["used"] = (swapAfter["SwapTotal"] ?? 0) - (swapAfter["SwapFree"] ?? 0)
        #expect(meminfoValue(seedMemory["swap_used"], "used", before: swapBefore, after: swapAfter))
        let seedDisk = try #require(seed["disk"] as? [String: Any])
        #expect(near(Self.int(seedDisk["available"]), UInt64(st.f_bavail) * frsize / 1024, tolerance: 256 << 10))
        #expect(near(Self.int(seedDisk["used"]), (UInt64(st.f_blocks) - UInt64(st.f_bfree)) * frsize / 1024, tolerance: 256 << 10))
        #expect((seed["load"] as? [NSNumber])?.count == 3)
        #expect(seed["topology"] as? String == "SINGLE")
        #expect(seed["topology_status"] as? String == "OK")
        #expect(seed["listeners"] as? [String] == [lb])
        let packages = try #require(seed["packages"] as? [[String: String]])
        #expect(packages.contains { $0["haproxy"] == (d["haproxy_version"] as? String) })

        // The package versions were cached on disk (0600); no dpkg-query per request.
        let cache = "\(agent.directory)/base/package-versions.json"
        #expect((try FileManager.default.attributesOfItem(atPath: cache)[.posixPermissions] as? Int) == 0o600)
        func packageQueries() -> Int {
            ((try? String(contentsOfFile: agent.auditLog, encoding: .utf8)) ?? "").components(separatedBy: "dpkg-query").count - 1
        }
        let queries = packageQueries()
        #expect(queries <= 2 * 3, "dpkg-query only at start (intent and outcome records, three packages)")
        // A restarted helper takes the versions from the cache: no dpkg-query at all.
        let helper = try #require(agent.pid(of: "amphora-helper serve"))
        kill(helper, SIGKILL)
        let deadline = Date().addingTimeInterval(30)
        var restarted = false
        while Date() < deadline, !restarted {
            restarted = agent.pid(of: "amphora-helper serve").map { $0 != helper } ?? false
                && (try? agent.request("GET", "/1.0/info"))?.status == 200
            if !restarted { Thread.sleep(forTimeInterval: 0.2) }
        }
        #expect(restarted)
        #expect(packageQueries() == queries)
        #expect((try agent.request("GET", "/1.0/info")).object["haproxy_version"] as? String == d["haproxy_version"] as? String)
        #expect(agent.log().contains("package versions from the on-disk cache"))
    }
}

extension UInt64 {
    func subtractingClamped(_ other: UInt64) -> UInt64 { self >= other ? self - other : 0 }
}
