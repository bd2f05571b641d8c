import IPCProtocol
import Testing

// The typed layer over the wire enums (`HelperRequest`): every command has a request type, each
// request's reply survives the wire and reads back as the same answer, and a reply of another kind
// is never taken for it.

/// One typed request and a sample answer, checked without knowing the answer's type.
struct TypedSample: Sendable {
    let command: Command
    /// The reply the helper would build for the sample answer.
    let reply: Reply
    /// True when the answer read back from `reply` equals the sample.
    let readsBack: @Sendable (Reply) -> Bool
    /// True when the request refuses `reply` (its answer is nil).
    let refuses: @Sendable (Reply) -> Bool

    init<Answer>(_ request: HelperRequest<Answer>, _ answer: Answer) {
        command = request.command
        reply = request.reply(answer)
        readsBack = { request.answer(from: $0) == answer }
        refuses = { request.answer(from: $0) == nil }
    }
}

enum TypedCatalogue {
    static func samples() throws -> [TypedSample] {
        let id = try ResourceID(validating: "3f5d6c1e-0a1b-4c2d-8e3f-4a5b6c7d8e9f")
        let amp = try ResourceID(validating: "7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b")
        let file = try CertificateFileName(validating: "server.pem")
        let address = try IPAddress(validating: "203.0.113.10")
        let subnet = try CIDR(validating: "203.0.113.0/24")
        let tls = TLSIdentity(serverCertificateChainPEM: "chain", serverPrivateKeyPEM: "key", clientCAPEM: "ca", serverCertificateDigest: "ab")
        let heartbeat = HeartbeatSettings(controllers: ["192.0.2.1:5555"], intervalSeconds: 10, key: "k")
        let info = AmphoraInfo(hostname: "amphora", amphoraID: amp, haproxyVersion: "2.8", keepalivedVersion: nil, ipvsadmVersion: nil)
        let summary = InstanceSummary(instance: id, state: .active, frontends: [FrontendSummary(name: "fe", type: "HTTP")])
        let details = AmphoraDetails(
            info: info, packages: [PackageVersion(name: "haproxy", version: "2.8")], haproxyCount: 1, instances: [id], listeners: ["fe"],
            lvsListenerProcessCount: 0, cpuCount: 2, cpu: CPUTimes(fields: [1, 2, 3]),
            cpuPercent: CPUPercent(total: 1, user: 0.5, system: 0.25, softIRQ: 0),
            memory: MemoryInfo(total: 8, free: 4, available: 5, buffers: 1, cached: 1, swapCached: 0, swapUsed: 0, shared: 0, slab: 1, committedAS: 2),
            disk: DiskUsage(usedBytes: 10, availableBytes: 20), load: ["0.1", "0.2", "0.3"], activeTunedProfiles: "", topology: "SINGLE",
            topologyStatus: "OK", networks: [], windowSeconds: 0)
        let topology = TopologyState(topology: .activeStandby, role: .active, haIP: address, status: .ok)
        let vip = try VIPPlug(
            vip: try SubnetAddress(address: address, subnet: subnet, gateway: nil, hostRoutes: []),
            mac: try MACAddress(validating: "fa:16:3e:00:00:01"), vrrpAddress: nil, mtu: nil, additionalVIPs: [])
        let member = try NetworkPlug(
            mac: try MACAddress(validating: "fa:16:3e:00:00:02"),
            fixedIPs: [try SubnetAddress(address: try IPAddress(validating: "2001:db8::5"), subnet: try CIDR(validating: "2001:db8::/64"), gateway: nil, hostRoutes: [])],
            mtu: nil)
        let change = try TopologyChange(topology: .activeStandby, role: .active, haIP: address, secret: "b20e06cf1abcf29c")
        let rules = try InterfaceRules(address: address, rules: [try InterfaceRule(ruleProtocol: .udp, cidr: nil, port: 53)])
        return [
            TypedSample(.frontSettings, FrontSettings(
                amphoraID: amp, bindHost: "::", bindPort: 9443, requestReadTimeout: 180, tls: tls, heartbeat: heartbeat)),
            TypedSample(.amphoraInfo, info),
            TypedSample(.uploadHAProxyConfig(HAProxyConfigUpload(instance: id, amphoraID: amp, config: "global\n")), "Configuration file is valid"),
            TypedSample(.haproxyConfig(instance: id), StoredFile(text: "global\n", md5: "0f")),
            TypedSample(.haproxyAction(instance: id, action: .reload), "reloaded"),
            TypedSample(.deleteInstance(instance: id), true),
            TypedSample(.listInstances, [summary]),
            TypedSample(.instanceStatus(instance: id), InstanceStatus(
                summary: summary, pools: [PoolStatus(name: "pool", status: "UP", members: [MemberStatus(name: "m", status: "UP")])])),
            TypedSample(.uploadCertificate(CertificateUpload(instance: id, file: file, content: "pem", scope: .loadBalancer)), "md5"),
            TypedSample(.certificateDigest(instance: id, file: file, scope: .listener), "md5"),
            TypedSample(.deleteCertificate(instance: id, file: file, scope: .loadBalancer), false),
            TypedSample(.rotateServerCertificate(pem: "pem"), tls),
            TypedSample(.amphoraDetails, details),
            TypedSample(.heartbeatStats, HeartbeatReport(
                keepalived: .running, listeners: [ListenerHeartbeat(id: "fe", status: "OPEN", tx: 1, rx: 2, conns: 3, totconns: 4, ereq: 0)],
                pools: [PoolHeartbeat(key: "pool", status: "UP", members: [])])),
            TypedSample(.updateAgentConfig(text: "[amphora_agent]\n"), heartbeat),
            TypedSample(.interfaceForAddress(address), "eth1"),
            TypedSample(.plugVIP(vip), PluggedInterface(name: "eth1", updated: false)),
            TypedSample(.plugNetwork(member), PluggedInterface(name: "eth2", updated: true)),
            TypedSample(.topology, topology),
            TypedSample(.setTopology(change), TopologyState(topology: .activeStandby, role: .active, haIP: address, status: .changing)),
            TypedSample(.uploadVRRPConfig(text: "vrrp_instance v {\n}\n"), "md5"),
            TypedSample(.vrrpAction(.start), "started"),
            TypedSample(.uploadLVSConfig(LVSConfigUpload(listener: id, amphoraID: amp, config: "x")), "md5"),
            TypedSample(.lvsConfig(listener: id), StoredFile(text: "x", md5: "9d")),
            TypedSample(.loadBalancerAction(id: id, action: .stop), "stopped"),
            TypedSample(.deleteListener(id: id), true),
            TypedSample(.listListeners, ListenerListing(
                instances: [summary], lvsListeners: [LVSListenerSummary(listener: amp, state: .offline)])),
            TypedSample(.setInterfaceRules(rules), "eth1"),
        ]
    }
}

@Suite("Typed requests over the wire enums")
struct TypedRequestTests {
    @Test("every Command case has exactly one typed request")
    func everyCommandHasARequest() throws {
        let indices = try TypedCatalogue.samples().map { CommandCatalogue.caseIndex($0.command) }
        #expect(indices.count == CommandCatalogue.caseCount)
        #expect(Set(indices) == Set(0..<CommandCatalogue.caseCount))
    }

    @Test("each request's reply crosses the wire and reads back as the same answer")
    func repliesRoundTrip() throws {
        for sample in try TypedCatalogue.samples() {
            let bytes = try StrictJSON.encode(ReplyEnvelope(id: 7, outcome: .ok(sample.reply)))
            let decoded = try StrictJSON.decode(ReplyEnvelope.self, from: bytes)
            guard case .ok(let reply) = decoded.outcome else {
                Issue.record("\(sample.command.name): not ok")
                continue
            }
            #expect(sample.readsBack(reply), "\(sample.command.name)")
        }
    }

    @Test("a reply of another kind is never read as a request's answer")
    func otherRepliesAreRefused() throws {
        let samples = try TypedCatalogue.samples()
        for sample in samples {
            for other in samples where other.reply.kind != sample.reply.kind {
                #expect(sample.refuses(other.reply), "\(sample.command.name) took \(other.command.name)'s reply")
            }
        }
    }

    @Test("the typed request's command is the one the helper decodes")
    func commandsDecode() throws {
        for sample in try TypedCatalogue.samples() {
            let bytes = try StrictJSON.encode(RequestEnvelope(id: 1, command: sample.command))
            #expect(try StrictJSON.decode(RequestEnvelope.self, from: bytes).command == sample.command)
        }
    }

    @Test("every error code crosses the wire as its own word")
    func errorCodesRoundTrip() throws {
        let codes = CommandError.Code.allCases
        #expect(Set(codes.map(\.rawValue)).count == codes.count)
        for code in codes {
            let bytes = try StrictJSON.encode(ReplyEnvelope(id: 1, outcome: .failed(CommandError(code, "m", details: "d"))))
            #expect(try StrictJSON.decode(ReplyEnvelope.self, from: bytes).outcome == .failed(CommandError(code, "m", details: "d")))
        }
    }
}

extension Reply {
    /// The case name (several requests share one reply case, e.g. every action's `actionDone`).
    var kind: String { String(String(describing: self).prefix { $0 != "(" }) }
}
