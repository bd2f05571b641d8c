// Upstream's own fixtures for its proxy test (octavia/tests/unit/cmd/test_prometheus_proxy.py, test_do_get):
// octavia/tests/common/sample_haproxy_prometheus and sample_octavia_prometheus at openstack/octavia
// 0e6ea11c (Apache-2.0, Copyright 2022 Red Hat), verbatim. The expected output was made with a CPU
// gauge of 50.0 (load 1 on 2 CPUs) and a memory gauge of 23.5.
// Kept as files in Fixtures/ under upstream's names.
import Foundation

enum UpstreamSamples {
    /// haproxy 2.x exporter output.
    static let haproxy = fixture("sample_haproxy_prometheus")

    /// What upstream's proxy answers for it.
    static let octavia = fixture("sample_octavia_prometheus")

    /// The fixture's text without its final newline.
    static func fixture(_ name: String) -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return "" }
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }
}
