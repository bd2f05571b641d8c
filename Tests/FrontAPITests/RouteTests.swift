import HTTPTypes
import IPCProtocol
import Testing

@testable import FrontAPI

private let lb = "3f5d6c1e-0a1b-4c2d-8e3f-4a5b6c7d8e9f"
private let amp = "7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b"

private func id(_ raw: String) throws -> ResourceID { try ResourceID(validating: raw) }

/// One route: the request, the one command it must send, the reply, and what the front answers.
private struct RouteCase: Sendable {
    let method: HTTPRequest.Method
    let path: String
    var body: String = ""
    let command: Command
    let reply: Reply
    let status: HTTPResponse.Status
    /// Expected top-level string members of the JSON body.
    var members: [String: String] = [:]
}

private func routeCases() throws -> [RouteCase] {
    let lbID = try id(lb)
    let ampID = try id(amp)
    let pem = try CertificateFileName(validating: "server.pem")
    let address = try IPAddress(validating: "203.0.113.10")
    let info = AmphoraInfo(hostname: "amphora", amphoraID: ampID, haproxyVersion: "2.8", keepalivedVersion: "2.2", ipvsadmVersion: nil)
    let summary = InstanceSummary(instance: lbID, state: .active, frontends: [FrontendSummary(name: "fe1", type: "HTTP")])
    let topology = TopologyState(topology: .single, role: nil, haIP: nil, status: .ok)
    let vip = try VIPPlug(
        vip: try SubnetAddress(address: address, subnet: try CIDR(validating: "203.0.113.0/24"), gateway: nil, hostRoutes: []),
        mac: try MACAddress(validating: "fa:16:3e:00:00:01"), vrrpAddress: nil, mtu: nil, additionalVIPs: [])
    let member = try NetworkPlug(
        mac: try MACAddress(validating: "fa:16:3e:00:00:02"),
        fixedIPs: [try SubnetAddress(address: try IPAddress(validating: "198.51.100.5"), subnet: try CIDR(validating: "198.51.100.0/24"), gateway: nil, hostRoutes: [])],
        mtu: nil)
    let rules = try InterfaceRules(address: address, rules: [try InterfaceRule(ruleProtocol: .tcp, cidr: nil, port: 443)])
    let change = try TopologyChange(topology: .single, role: nil, haIP: nil, secret: nil)
    return [
        RouteCase(method: .get, path: "/info", command: .amphoraInfo, reply: .amphoraInfo(info), status: .ok,
                  members: ["hostname": "amphora", "uuid": amp, "api_version": "0.1"]),
        RouteCase(method: .get, path: "/1.0/info", command: .amphoraInfo, reply: .amphoraInfo(info), status: .ok,
                  members: ["keepalived_version": "2.2", "api_version": "1.0"]),
        RouteCase(method: .put, path: "/v0.1/listeners/\(amp)/\(lb)/haproxy", body: "global\n",
                  command: .uploadHAProxyConfig(HAProxyConfigUpload(instance: lbID, amphoraID: ampID, config: "global\n")),
                  reply: .haproxyConfigStored(checkOutput: "Configuration file is valid"), status: .created,
                  members: ["message": "OK", "details": "Configuration file is valid"]),
        RouteCase(method: .put, path: "/1.0/loadbalancer/\(amp)/\(lb)/haproxy", body: "global\n",
                  command: .uploadHAProxyConfig(HAProxyConfigUpload(instance: lbID, amphoraID: ampID, config: "global\n")),
                  reply: .haproxyConfigStored(checkOutput: "valid"), status: .accepted, members: ["message": "OK"]),
        RouteCase(method: .get, path: "/v0.1/listeners/\(lb)/haproxy", command: .haproxyConfig(instance: lbID),
                  reply: .haproxyConfig(StoredFile(text: "global\n", md5: "0f")), status: .ok),
        RouteCase(method: .put, path: "/v0.1/listeners/\(lb)/reload", command: .haproxyAction(instance: lbID, action: .reload),
                  reply: .actionDone(details: "Listener reloaded"), status: .accepted, members: ["details": "Listener reloaded"]),
        RouteCase(method: .put, path: "/1.0/loadbalancer/\(lb)/stop", command: .loadBalancerAction(id: lbID, action: .stop),
                  reply: .actionDone(details: "stopped"), status: .accepted, members: ["message": "OK", "details": "stopped"]),
        RouteCase(method: .delete, path: "/v0.1/listeners/\(lb)", command: .deleteInstance(instance: lbID),
                  reply: .deleted(existed: true), status: .ok, members: ["message": "OK"]),
        RouteCase(method: .delete, path: "/1.0/listeners/\(lb)", command: .deleteListener(id: lbID),
                  reply: .deleted(existed: false), status: .ok, members: ["message": "OK"]),
        RouteCase(method: .get, path: "/v0.1/listeners/\(lb)", command: .instanceStatus(instance: lbID),
                  reply: .instanceStatus(InstanceStatus(summary: summary, pools: [])), status: .ok,
                  members: ["status": "ACTIVE", "uuid": lb, "type": "HTTP"]),
        RouteCase(method: .put, path: "/v0.1/listeners/\(lb)/certificates/server.pem", body: "PEM",
                  command: .uploadCertificate(CertificateUpload(instance: lbID, file: pem, content: "PEM", scope: .listener)),
                  reply: .certificateDigest(md5: "ab"), status: .created, members: ["message": "OK"]),
        RouteCase(method: .put, path: "/1.0/loadbalancer/\(lb)/certificates/server.pem", body: "PEM",
                  command: .uploadCertificate(CertificateUpload(instance: lbID, file: pem, content: "PEM", scope: .loadBalancer)),
                  reply: .certificateDigest(md5: "ab"), status: .ok, members: ["message": "OK"]),
        RouteCase(method: .get, path: "/1.0/loadbalancer/\(lb)/certificates/server.pem",
                  command: .certificateDigest(instance: lbID, file: pem, scope: .loadBalancer),
                  reply: .certificateDigest(md5: "ab"), status: .ok, members: ["md5sum": "ab"]),
        RouteCase(method: .delete, path: "/1.0/loadbalancer/\(lb)/certificates/server.pem",
                  command: .deleteCertificate(instance: lbID, file: pem, scope: .loadBalancer),
                  reply: .deleted(existed: false), status: .ok, members: ["message": "OK"]),
        RouteCase(method: .get, path: "/1.0/interface/203.0.113.10", command: .interfaceForAddress(address),
                  reply: .interface(name: "eth1"), status: .ok, members: ["interface": "eth1"]),
        RouteCase(method: .post, path: "/1.0/plug/vip/203.0.113.10",
                  body: #"{"subnet_cidr":"203.0.113.0/24","mac_address":"fa:16:3e:00:00:01"}"#,
                  command: .plugVIP(vip), reply: .plugged(interface: "eth1", updated: false), status: .accepted,
                  members: ["details": "VIPs plugged on interface eth1: 203.0.113.10"]),
        RouteCase(method: .post, path: "/1.0/plug/network",
                  body: #"{"mac_address":"fa:16:3e:00:00:02","fixed_ips":[{"ip_address":"198.51.100.5","subnet_cidr":"198.51.100.0/24"}]}"#,
                  command: .plugNetwork(member), reply: .plugged(interface: "eth2", updated: true), status: .accepted,
                  members: ["details": "Updated existing interface eth2"]),
        RouteCase(method: .put, path: "/1.0/listeners/\(amp)/\(lb)/udp_listener", body: "net_namespace amphora-haproxy\n",
                  command: .uploadLVSConfig(LVSConfigUpload(listener: lbID, amphoraID: ampID, config: "net_namespace amphora-haproxy\n")),
                  reply: .lvsStored(md5: "cd"), status: .ok, members: ["message": "OK"]),
        RouteCase(method: .get, path: "/1.0/listeners/\(lb)/udp_listener", command: .lvsConfig(listener: lbID),
                  reply: .lvsConfig(StoredFile(text: "x", md5: "9d")), status: .ok),
        RouteCase(method: .put, path: "/1.0/interface/203.0.113.10/rules", body: #"[{"protocol":"TCP","cidr":null,"port":443}]"#,
                  command: .setInterfaceRules(rules), reply: .interface(name: "eth1"), status: .ok, members: ["message": "OK"]),
        RouteCase(method: .post, path: "/v0.1/topology", body: #"{"topology":"SINGLE"}"#, command: .setTopology(change),
                  reply: .topology(topology), status: .accepted, members: ["topology": "SINGLE", "topology_status": "OK"]),
        RouteCase(method: .put, path: "/1.0/vrrp/upload", body: "vrrp_instance v {\n}\n", command: .uploadVRRPConfig(text: "vrrp_instance v {\n}\n"),
                  reply: .vrrpStored(md5: "ef"), status: .ok, members: ["message": "OK"]),
        RouteCase(method: .put, path: "/v0.1/vrrp/start", command: .vrrpAction(.start), reply: .actionDone(details: "started"),
                  status: .accepted, members: ["details": "started"]),
        RouteCase(method: .put, path: "/1.0/config", body: "[amphora_agent]\n", command: .updateAgentConfig(text: "[amphora_agent]\n"),
                  reply: .agentConfigUpdated(HeartbeatSettings(controllers: [], intervalSeconds: 10, key: "k")), status: .accepted,
                  members: ["message": "OK"]),
    ]
}

@Suite("Routes: each sends its one command and renders the typed reply")
struct RouteTests {
    @Test("every route sends exactly its command and answers with the expected status and body")
    func routesSendTheirCommand() async throws {
        for route in try routeCases() {
            let reply = route.reply
            let harness = try RouteHarness { _ in reply }
            let answer = try await harness.send(route.method, route.path, body: route.body)
            let label = "\(route.method) \(route.path)"
            #expect(harness.helper.sent == [route.command], "\(label)")
            #expect(answer.status == route.status, "\(label): \(answer.text)")
            for (key, value) in route.members { #expect(answer.string(key) == value, "\(label): \(key) in \(answer.text)") }
        }
    }

    @Test("GET /1.0/listeners is one command; haproxy frontends then UDP listeners")
    func listenersListingIsOneCall() async throws {
        let listing = ListenerListing(
            instances: [InstanceSummary(instance: try id(lb), state: .stopped, frontends: [FrontendSummary(name: "fe1", type: "TCP")])],
            lvsListeners: [LVSListenerSummary(listener: try id(amp), state: .offline)])
        let harness = try RouteHarness { _ in .listeners(listing) }
        let answer = try await harness.send(.get, "/1.0/listeners")
        #expect(harness.helper.sent == [.listListeners])
        #expect(answer.status == .ok)
        #expect(answer.json == .array([
            .object([("status", .string("ACTIVE")), ("uuid", .string("fe1")), ("type", .string("TCP"))]),
            .object([("status", .string("OFFLINE")), ("uuid", .string(amp)), ("type", .string("UDP"))]),
        ]))
    }

    @Test("DELETE /v0.1/listeners/:id of nothing is 404 in the seed's words")
    func seedDeleteOfNothing() async throws {
        let harness = try RouteHarness { _ in .deleted(existed: false) }
        let answer = try await harness.send(.delete, "/v0.1/listeners/\(lb)")
        #expect((answer.status, answer.json) == (.notFound, .object([
            ("message", .string("Listener Not Found")), ("details", .string("No listener with UUID: \(lb)")),
        ])))
    }

    @Test("stored configurations are text/plain with the MD5 as ETag")
    func storedConfigIsText() async throws {
        let harness = try RouteHarness { _ in .haproxyConfig(StoredFile(text: "global\n", md5: "0f")) }
        let answer = try await harness.send(.get, "/1.0/loadbalancer/\(lb)/haproxy")
        #expect(answer.text == "global\n")
        #expect(answer.headers[.eTag] == "0f")
        #expect(answer.headers[.contentType] == "text/plain; charset=utf-8")
    }

    @Test("an invalid id or action never reaches the helper")
    func invalidInputIsRefusedInTheFront() async throws {
        let harness = try RouteHarness { _ in .deleted(existed: true) }
        for (method, path) in [
            (HTTPRequest.Method.delete, "/1.0/listeners/not-a-uuid"), (.put, "/1.0/loadbalancer/\(lb)/restart"),
            (.get, "/v0.1/listeners/\(lb.uppercased())/haproxy"), (.get, "/1.0/interface/203.0.113.256"),
        ] {
            let answer = try await harness.send(method, path)
            #expect(answer.status == .badRequest, "\(path)")
            #expect(answer.headers[.contentType] == "application/json", "\(path)")
        }
        #expect(harness.helper.sent.isEmpty)
    }
}
