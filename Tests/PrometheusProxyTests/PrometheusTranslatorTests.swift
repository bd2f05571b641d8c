import PrometheusTranslation
import Testing

/// The translation against upstream's own fixture and the corner cases of its matching rules.
@Suite("Prometheus translation (upstream's prometheus-proxy)")
struct PrometheusTranslatorTests {
    /// Runs the whole text through the splitter and the translator, as the proxy does.
    static func translated(_ text: String) -> String {
        let translator = PrometheusTranslator()
        var splitter = LineSplitter()
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        // Odd piece sizes: lines arrive split across reads.
        var index = 0
        while index < bytes.count {
            let end = min(index + 977, bytes.count)
            splitter.feed(bytes[index..<end]) { if let line = translator.translate(line: $0) { out += line } }
            index = end
        }
        splitter.finish { if let line = translator.translate(line: $0) { out += line } }
        return String(decoding: out, as: UTF8.self)
    }

    @Test("upstream's sample haproxy output becomes upstream's expected Octavia output, byte for byte")
    func upstreamFixture() {
        let answer = HostUtilization.cpuLines(loadAverage: 1, cpuCount: 2) + HostUtilization.memoryLines(percent: 23.5)
            + Self.translated(UpstreamSamples.haproxy + "\n")
        let expected = UpstreamSamples.octavia + "\n"
        #expect(answer == expected)
        if answer != expected {
            let a = answer.split(separator: "\n", omittingEmptySubsequences: false)
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }
            Issue.record("first difference at line \(first?.offset ?? min(a.count, e.count)): \(first.map { "\($0.element.0) vs \($0.element.1)" } ?? "length")")
        }
    }

    @Test("the map is upstream's: 253 rows, first and last as upstream's dictionary")
    func mapIsUpstreams() {
        #expect(OctaviaMetricMap.rows.count == 253)
        #expect(OctaviaMetricMap.rows.first?.match == "haproxy_process_pool_allocated_bytes ")
        #expect(OctaviaMetricMap.rows.last?.replacement == "octavia_member_idle_connections_limit{")
    }

    @Test("labels are renamed on samples only; HELP text replaced where upstream has its own")
    func samplesAndComments() {
        let t = PrometheusTranslator()
        func line(_ s: String) -> String? { t.translate(line: Array(s.utf8)[...]).map { String(decoding: $0, as: UTF8.self) } }
        #expect(line("haproxy_server_weight{proxy=\"p\",server=\"m\"} 1\n") == "octavia_member_weight{pool=\"p\",member=\"m\"} 1\n")
        #expect(line("haproxy_frontend_bytes_in_total{proxy=\"l\"} 42\n") == "octavia_listener_bytes_in_total{listener=\"l\"} 42\n")
        #expect(line("# TYPE haproxy_server_weight gauge\n") == "# TYPE octavia_member_weight gauge\n")
        #expect(line("# HELP haproxy_server_weight Server's weight.\n") == "# HELP octavia_member_weight Member weight.\n")
        #expect(line("# HELP haproxy_process_listeners Number of listeners.\n") == "# HELP octavia_loadbalancer_listeners Number of listeners.\n")
        // No trailing newline on the last line: none added.
        #expect(line("haproxy_process_listeners 3") == "octavia_loadbalancer_listeners 3")
        #expect(line("haproxy_process_listeners 3\n") == "octavia_loadbalancer_listeners 3\n")
    }

    @Test("dropped: the internal exporter's own proxies, unmapped metrics, blank lines")
    func dropped() {
        let t = PrometheusTranslator()
        #expect(t.translate(line: Array("haproxy_frontend_status{proxy=\"prometheus-exporter-internal-endpoint\"} 1\n".utf8)[...]) == nil)
        #expect(t.translate(line: Array("haproxy_process_uptime_seconds 12\n".utf8)[...]) == nil)
        #expect(t.translate(line: Array("haproxy_frontend_statusx{proxy=\"a\"} 1\n".utf8)[...]) == nil)
        #expect(t.translate(line: Array("\n".utf8)[...]) == nil)
    }

    @Test("the first row in upstream's order wins when several occur in one line")
    func firstRowWins() {
        let t = PrometheusTranslator()
        // Both "haproxy_server_weight{" (late row) and "haproxy_process_listeners " (early row) occur.
        let out = t.translate(line: Array("haproxy_server_weight{proxy=\"haproxy_process_listeners \"} 1\n".utf8)[...])
        #expect(out.map { String(decoding: $0, as: UTF8.self) } == "haproxy_server_weight{proxy=\"octavia_loadbalancer_listeners \"} 1\n")
    }

    @Test("utilization gauges: upstream's formatting and psutil's memory percentage")
    func utilization() {
        #expect(HostUtilization.cpuLines(loadAverage: 1, cpuCount: 2).hasSuffix("octavia_loadbalancer_cpu 50.0\n"))
        #expect(HostUtilization.oneDecimal(0.25) == "0.2")
        #expect(HostUtilization.oneDecimal(12.345) == "12.3")
        let meminfo = "MemTotal:       1000 kB\nMemFree:         100 kB\nMemAvailable:    765 kB\n"
        #expect(HostUtilization.memoryPercent(meminfo: meminfo) == 23.5)
        #expect(HostUtilization.memoryPercent(meminfo: "MemTotal: 10 kB\n") == nil)
    }
}
