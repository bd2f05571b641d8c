import Foundation
import Testing

/// PROMETHEUS listeners end to end: Octavia's own templater renders one (its backend is
/// prometheus-proxy on 127.0.0.1:9102, its exporter frontend 127.0.0.1:9101); the real agent accepts,
/// checks and starts it in the amphora namespace, where the agent (direct mode, as upstream's unit)
/// runs amphora-prometheus-proxy unprivileged; a scrape of the listener's VIP answers Octavia's
/// metric names with values.
@Suite("PROMETHEUS listeners", .serialized, .timeLimit(.minutes(5)))
struct PrometheusListenerTests {
    static let renderer = AgentHarness.repositoryRoot.path + "/Tests/Conformance/render_prometheus_haproxy.py"
    static let vip = "192.0.2.41"
    static let port = 9100

    /// The value of the first sample line of `metric` (exact name, then a space or `{`).
    static func value(of metric: String, in text: String, labels: String? = nil) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(metric + " ") || line.hasPrefix(metric + "{") {
            if let labels, !line.contains(labels) { continue }
            return line.split(separator: " ").last.flatMap { Double($0) }
        }
        return nil
    }

    @Test("a scrape through a PROMETHEUS listener's VIP answers Octavia's metrics, translated by the unprivileged proxy")
    func scrapeThroughListener() throws {
        let netns = try TestNamespace()
        try Shell.run("/usr/sbin/ip", ["-n", netns.name, "addr", "add", "\(Self.vip)/32", "dev", "lo"])
        let agent = try AgentHarness.started(extraConfig: "netns = \(netns.name)")
        defer { agent.stop() }
        let lb = HAProxyLifecycleTests.uuid()
        let rendered = agent.directory + "/prometheus.cfg"
        let render = try HAProxyRenderer.run(Self.renderer, lb: lb, for: agent, ["--vip", "\(Self.vip):\(Self.port)", rendered])
        #expect(render.status == 0, "\(render.stderr)")
        let text = try String(contentsOfFile: rendered, encoding: .utf8)
        #expect(text.contains("server prometheus-internal 127.0.0.1:9102"), "\(text)")
        #expect(text.contains("default_backend prometheus-exporter-internal"), "\(text)")

        // The agent runs the proxy in the namespace, unprivileged, as its own child.
        var proxyPID: Int32?
        #expect(waitUntil {
            proxyPID = agent.pid(of: "amphora-prometheus-proxy")
            return proxyPID != nil
        }, "\(agent.log())")
        let pid = try #require(proxyPID)
        #expect(ProcessTable.status(pid, "Uid")?.split(separator: "\t").allSatisfy { $0 != "0" } == true)
        #expect(ProcessTable.status(pid, "CapEff") == "0000000000000000")
        #expect(ProcessTable.status(pid, "NoNewPrivs") == "1")
        let proxyNamespace = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/net")
        let namespaceInode = try FileManager.default.attributesOfItem(atPath: "/run/netns/\(netns.name)")[.systemFileNumber] as? UInt64
        #expect(proxyNamespace == "net:[\(namespaceInode ?? 0)]")

        let upload = try agent.request("PUT", "/1.0/loadbalancer/\(AgentHarness.amphoraID)/\(lb)/haproxy", body: Data(text.utf8))
        #expect(upload.status == 202, "\(upload.text)")
        let reload = try agent.request("PUT", "/1.0/loadbalancer/\(lb)/reload")
        #expect(reload.status == 202, "\(reload.text)")
        defer { _ = try? agent.request("PUT", "/1.0/loadbalancer/\(lb)/stop") }

        // Scraped as Prometheus would: through the listener on the VIP, from inside the namespace.
        var scrape = ""
        #expect(waitUntil {
            scrape = netns.get("http://\(Self.vip):\(Self.port)/metrics") ?? ""
            return scrape.contains("octavia_listener_status")
        }, "\(scrape)\n\(agent.log())")
        // The host gauges upstream adds, with values.
        #expect(Self.value(of: "octavia_loadbalancer_cpu", in: scrape) != nil, "\(scrape)")
        #expect(Self.value(of: "octavia_loadbalancer_memory", in: scrape).map { $0 > 0 && $0 <= 100 } == true)
        // haproxy's process metrics under Octavia's names: the listener's connection limit, the scrape itself.
        #expect(Self.value(of: "octavia_loadbalancer_max_connections", in: scrape) == 1000, "\(scrape)")
        #expect((Self.value(of: "octavia_loadbalancer_connections_total", in: scrape) ?? 0) >= 1)
        // The listener itself, labelled `listener=` (haproxy's `proxy=`), up; the internal exporter
        // frontend and backend are not reported.
        #expect(Self.value(of: "octavia_listener_status", in: scrape, labels: "listener=\"sample_listener_id_1\",state=\"UP\"") == 1, "\(scrape)")
        #expect((Self.value(of: "octavia_listener_sessions_total", in: scrape, labels: "listener=\"sample_listener_id_1\"") ?? 0) >= 1)
        #expect(scrape.contains("# TYPE octavia_listener_bytes_in_total counter"))
        #expect(!scrape.contains("haproxy_"), "\(scrape)")
        #expect(!scrape.contains("prometheus-exporter"))
        #expect(!scrape.contains("proxy=\""))

        // A second scrape counts the first: the values are live, not a fixture.
        let before = Self.value(of: "octavia_listener_sessions_total", in: scrape, labels: "listener=\"sample_listener_id_1\"") ?? 0
        let again = netns.get("http://\(Self.vip):\(Self.port)/metrics") ?? ""
        #expect((Self.value(of: "octavia_listener_sessions_total", in: again, labels: "listener=\"sample_listener_id_1\"") ?? 0) > before, "\(again)")

        // A proxy that dies is started again by the agent, as systemd's Restart=always does.
        kill(pid, SIGKILL)
        var restarted: Int32?
        #expect(waitUntil {
            restarted = agent.pid(of: "amphora-prometheus-proxy")
            return restarted != nil && restarted != pid
        }, "\(agent.log())")
        #expect(waitUntil { netns.get("http://\(Self.vip):\(Self.port)/metrics")?.contains("octavia_listener_status") == true })
    }

    @Test("without the exporter (no PROMETHEUS listener, haproxy stopped) the proxy answers 502, as upstream's")
    func noExporterIs502() throws {
        let netns = try TestNamespace()
        let agent = try AgentHarness.started(extraConfig: "netns = \(netns.name)")
        defer { agent.stop() }
        var status = ""
        #expect(waitUntil {
            status = (try? netns.run(["/usr/bin/curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "3", "http://127.0.0.1:9102/metrics"], check: false))?.stdout ?? ""
            return status == "502"
        }, "\(status)\n\(agent.log())")
        #expect(agent.log().contains("scrape of http://127.0.0.1:9101/metrics failed"))
    }
}
