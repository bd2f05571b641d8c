import AgentConfig
import Foundation
import IPCProtocol
import Testing
@testable import Helper
@testable import LinuxNetlink
@testable import LinuxSystem
@testable import ProgramLauncher

@Suite("details and heartbeat data (helper)")
struct DetailsReportingTests {
    @Test("/proc/stat, /proc/meminfo and /proc/loadavg parsing")
    func procParsing() throws {
        let stat = "cpu  100 2 30 400 5 6 7 8 0 0\ncpu0 50 1 15 200 2 3 3 4 0 0\nintr 1 2 3\n"
        let cpu = try #require(HostStatistics.parseCPU(stat))
        #expect(cpu.user == 100 && cpu.system == 30 && cpu.softirq == 7 && cpu.total == 558)
        let meminfo = "MemTotal:        4087402 kB\nMemFree:          760656 kB\nMemAvailable:    2655901 kB\nBuffers: 90980 kB\n"
            + "Cached: 1830143 kB\nSwapCached: 943 kB\nSwapTotal: 1000 kB\nSwapFree: 400 kB\nShmem: 105792 kB\nSlab: 158819 kB\n"
            + "Committed_AS: 2643480 kB\nHugePages_Total: 0\n"
        let memory = HostStatistics.memory(HostStatistics.parseMeminfo(meminfo))
        #expect(memory == MemoryInfo(
            total: 4087402, free: 760656, available: 2655901, buffers: 90980, cached: 1830143, swapCached: 943, swapUsed: 600,
            shared: 105792, slab: 158819, committedAS: 2643480))
        #expect(HostStatistics.parseLoad("0.50 0.45 0.47 1/123 4567\n") == ["0.50", "0.45", "0.47"])
    }

    @Test("CPU percentages between two samples")
    func cpuPercent() {
        let old = CPUTimes(fields: [100, 0, 100, 700, 100, 0, 0])
        let new = CPUTimes(fields: [150, 0, 125, 800, 100, 0, 25])
        let percent = HostStatistics.percent(from: old, to: new)
        #expect(percent == CPUPercent(total: 50, user: 25, system: 12.5, softIRQ: 12.5))
        #expect(HostStatistics.percent(from: new, to: new).total == 0)
    }

    static func row(_ proxy: String, _ service: String, _ fields: [String: String]) -> HAProxyStatsSocket.Row {
        HAProxyStatsSocket.Row(proxy: proxy, service: service, fields: fields)
    }

    @Test("heartbeat reduction: deltas, a counter that went backwards, DRAIN, prometheus dropped")
    func reduce() throws {
        let id = try ResourceID(validating: "7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b")
        let rows = [
            Self.row("l1", "FRONTEND", ["status": "OPEN", "bin": "1000", "bout": "5000", "scur": "3", "stot": "10", "ereq": "1"]),
            Self.row("p1:l1", "m1", ["status": "UP", "weight": "1"]),
            Self.row("p1:l1", "m2", ["status": "UP", "weight": "0"]),
            Self.row("p1:l1", "m3", ["status": "no check", "weight": "1"]),
            Self.row("p1:l1", "m4", ["status": "DOWN", "weight": "1"]),
            Self.row("p1:l1", "BACKEND", ["status": "UP"]),
            Self.row("prometheus-exporter", "FRONTEND", ["status": "OPEN", "bin": "7"]),
        ]
        let (first, baseline) = HeartbeatStats.reduce([(id, rows)], previous: [:], keepalived: .notConfigured)
        #expect(first.listeners == [ListenerHeartbeat(id: "l1", status: "OPEN", tx: 5000, rx: 1000, conns: 3, totconns: 10, ereq: 1)])
        #expect(first.pools == [PoolHeartbeat(key: "p1:l1", status: "UP", members: [
            MemberStatus(name: "m1", status: "UP"), MemberStatus(name: "m2", status: "DRAIN"),
            MemberStatus(name: "m3", status: "no check"), MemberStatus(name: "m4", status: "DOWN"),
        ])])
        var later = rows
        later[0] = Self.row("l1", "FRONTEND", ["status": "FULL", "bin": "1500", "bout": "4000", "scur": "0", "stot": "12", "ereq": "1"])
        let (second, _) = HeartbeatStats.reduce([(id, later)], previous: baseline, keepalived: .notConfigured)
        // bout went backwards (haproxy restarted): its current value is the delta.
        #expect(second.listeners == [ListenerHeartbeat(id: "l1", status: "FULL", tx: 4000, rx: 500, conns: 0, totconns: 2, ereq: 0)])
        #expect(baseline.keys.sorted() == ["\(id)/l1"])
    }

    static let config = """
        [amphora_agent]
        amphora_id = 7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b
        [health_manager]
        controller_ip_port_list = 192.0.2.10:5555
        heartbeat_key = old
        [privsep]
        front_user = nobody
        service_manager = direct
        netns = amp-test
        """

    @Test("PUT /1.0/config validation: privsep kept, amphora_id fixed, errors on one line")
    func configValidation() throws {
        let (running, _) = try AgentConfiguration.parse(text: Self.config, source: "test")
        let upload = """
            [amphora_agent]
            amphora_id = 7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b
            agent_server_network_dir = /etc/network/interfaces.d/
            [health_manager]
            controller_ip_port_list = 192.0.2.11:5555, [2001:db8::1]:5555
            heartbeat_interval = 3
            heartbeat_key = new
            """
        let (text, parsed, warnings) = try AgentConfigStore.validate(upload, running: running)
        #expect(parsed.heartbeatKey == "new" && parsed.heartbeatInterval == 3 && parsed.controllerIPPortList.count == 2)
        #expect(parsed.frontUser == "nobody" && parsed.serviceManager == .direct && parsed.netns == "amp-test")
        #expect(text.hasPrefix(upload))
        #expect(warnings.isEmpty, "agent_server_network_dir is a key of Octavia's template: read without a warning")
        let (_, _, leftover) = try AgentConfigStore.validate(upload + "\n[haproxy_amphora]\nrespawn_count = 2\n", running: running)
        #expect(leftover.count == 1 && leftover[0].contains("respawn_count is not used by this agent"), "\(leftover)")

        let other = upload.replacingOccurrences(of: "7b8c5e4e", with: "00000000")
        #expect(throws: AgentConfigError.self) { try AgentConfigStore.validate(other, running: running) }
        do {
            _ = try AgentConfigStore.validate(
                "[amphora_agent]\namphora_id = 7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b\n[health_manager]\nheartbeat_interval = soon\n",
                running: running)
            Issue.record("accepted an invalid interval")
        } catch {
            let error = CommandError(mapping: error)
            #expect(error.code == .badRequest)
            #expect(error.details?.contains("heartbeat_interval") == true)
            #expect(error.details?.contains("\n") == false)
        }
        #expect(throws: AgentConfigError.self) { try AgentConfigStore.validate("[health_manager\n", running: running) }
    }

    @Test("netlink attribute encoding and link parsing")
    func netlink() {
        let attribute = Netlink.attribute(3, Array("eth1\0".utf8))
        #expect(attribute == [9, 0, 3, 0, 0x65, 0x74, 0x68, 0x31, 0, 0, 0, 0])
        var stats = [UInt8](repeating: 0, count: 32)
        stats[16] = 0x10  // rx_bytes = 16
        stats[24] = 0x20  // tx_bytes = 32
        let body = [UInt8](repeating: 0, count: 16) + attribute + Netlink.attribute(23, stats)
        #expect(NamespaceLinkStatistics.parseLink(body[...]) == .init(name: "eth1", rxBytes: 16, txBytes: 32))
    }

    @Test("keepalived liveness from /proc/<pid>/stat: name and state")
    func keepalivedLiveness() throws {
        let proc = FileManager.default.temporaryDirectory.appendingPathComponent("proc-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: proc) }
        for (pid, stat) in [(10, "10 (keepalived) S 1 10"), (11, "11 (keepalived) Z 1 11"), (12, "12 (bash) S 1 12"), (13, "13 (a) (b)) R 1")] {
            try FileManager.default.createDirectory(atPath: "\(proc)/\(pid)", withIntermediateDirectories: true)
            try stat.write(toFile: "\(proc)/\(pid)/stat", atomically: true, encoding: .utf8)
        }
        #expect(KeepalivedProbe.isRunning(pid: 10, named: "keepalived", proc: proc))
        #expect(!KeepalivedProbe.isRunning(pid: 11, named: "keepalived", proc: proc))
        #expect(!KeepalivedProbe.isRunning(pid: 12, named: "keepalived", proc: proc))
        #expect(KeepalivedProbe.isRunning(pid: 13, named: "a) (b)", proc: proc))
        #expect(!KeepalivedProbe.isRunning(pid: 14, named: "keepalived", proc: proc))
    }
}
