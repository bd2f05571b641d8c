import Foundation
import Testing

/// What every networking test sets up first: an agent whose amphora namespace is a fresh
/// `TestNamespace`, and a second namespace (`peer`) holding the far ends of the veth pairs the test
/// attaches as new ports (the near ends, carrying the MAC the controller names, wait in the root
/// namespace until the agent moves them). The test stops the agent (`defer { agent.stop() }`).
final class PluggableAmphora {
    let amphoraNS: TestNamespace
    let peer: TestNamespace
    let agent: AgentHarness
    /// Six characters that keep this test's veth names apart from other tests'.
    let suffix: String
    /// The MACs of the ports attached so far, in order.
    private(set) var macs: [String] = []

    /// Creates both namespaces, attaches `ports` (tag and far-end address, see `attachPort`) and starts
    /// the agent; `configure` runs before the agent starts.
    init(attaching ports: [(tag: String, peerAddress: String)] = [], configure: (AgentHarness) throws -> Void = { _ in }) throws {
        amphoraNS = try TestNamespace()
        peer = try TestNamespace()
        suffix = String(peer.name.suffix(6))
        agent = try AgentHarness(extraConfig: "netns = \(amphoraNS.name)")
        for port in ports { try attachPort(port.tag, peerAddress: port.peerAddress) }
        try configure(agent)
        try agent.start()
    }

    /// Attaches a new port: a veth pair whose root end `<tag>a<suffix>` carries a fresh MAC and whose
    /// far end `<tag>b<suffix>` sits in `namespace` (`peer` unless named) with `peerAddress`.
    /// Returns the MAC, as the controller would name the port.
    @discardableResult
    func attachPort(_ tag: String, peerAddress: String, in namespace: TestNamespace? = nil) throws -> String {
        let mac = NetworkTests.mac(macs.count + 1)
        try (namespace ?? peer).addPort(rootName: "\(tag)a\(suffix)", rootMAC: mac, peerName: "\(tag)b\(suffix)", peerAddress: peerAddress)
        macs.append(mac)
        return mac
    }

    /// The controller's `plug/vip` body for the port `mac` on `subnet` via `gateway`: MTU 1500, no host
    /// routes, no additional VIPs, not SR-IOV; `changes` replaces or adds fields.
    static func vipBody(subnet: String, gateway: String, mac: String, _ changes: [String: Any] = [:]) -> [String: Any] {
        let body: [String: Any] = [
            "subnet_cidr": subnet, "gateway": gateway, "mac_address": mac, "mtu": 1500,
            "host_routes": [], "additional_vips": [], "is_sriov": false,
        ]
        return body.merging(changes) { _, changed in changed }
    }

    /// The controller's `plug/network` body for the port `mac` with `fixedIPs`: MTU 1500, not SR-IOV.
    static func networkBody(mac: String, fixedIPs: [[String: Any]], _ changes: [String: Any] = [:]) -> Data {
        let body: [String: Any] = ["mac_address": mac, "mtu": 1500, "is_sriov": false, "fixed_ips": fixedIPs]
        return NetworkTests.json(body.merging(changes) { _, changed in changed })
    }

    /// POSTs `body` to `/1.0/plug/vip/<vip>` and expects 202.
    @discardableResult
    func plugVIP(_ vip: String, _ body: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) throws -> AgentHarness.Response {
        let response = try agent.request("POST", "/1.0/plug/vip/\(vip)", body: NetworkTests.json(body))
        #expect(response.status == 202, "\(response.text)", sourceLocation: sourceLocation)
        return response
    }

    /// Uploads a listener (a fresh load balancer id) whose HTTP frontend binds `bind` and whose one
    /// server is `server`, expects 202 and returns the id; starting or reloading is the test's.
    func uploadListener(bind: String, server: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let lb = UUID().uuidString.lowercased()
        let config = """
            global
                maxconn 64
            defaults
                retries 3
            frontend \(lb)
                bind \(bind)
                mode http
                default_backend pool
                timeout client 5s
            backend pool
                mode http
                timeout connect 2s
                timeout server 5s
                server m1 \(server)

            """
        let upload = try agent.request("PUT", "/1.0/loadbalancer/\(AgentHarness.amphoraID)/\(lb)/haproxy", body: Data(config.utf8))
        #expect(upload.status == 202, "\(upload.text)", sourceLocation: sourceLocation)
        return lb
    }
}
