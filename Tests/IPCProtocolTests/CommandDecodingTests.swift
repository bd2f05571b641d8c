import IPCProtocol
import Testing

// Validate-twice for every command (security anchors §7 G9): the helper decodes each frame with
// `StrictJSON.decode(RequestEnvelope.self, from:)`, and a decoded command must be as valid as one
// built with the validating initialisers. These tests build one valid sample per `Command` case,
// then feed the helper's decode path hostile variants of each and expect every one to be refused.

private let lb = "3f5d6c1e-0a1b-4c2d-8e3f-4a5b6c7d8e9f"
private let amp = "7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b"

/// One valid sample per `Command` case, and the case-specific hostile payloads.
///
/// ``caseIndex(_:)`` and ``semanticAttacks(_:)`` are exhaustive switches: adding a case to
/// `Command` does not compile until it has a sample and its own attacks here.
enum CommandCatalogue {
    static let caseCount = 28

    static func caseIndex(_ command: Command) -> Int {
        switch command {
        case .frontSettings: return 0
        case .amphoraInfo: return 1
        case .uploadHAProxyConfig: return 2
        case .haproxyConfig: return 3
        case .haproxyAction: return 4
        case .deleteInstance: return 5
        case .listInstances: return 6
        case .instanceStatus: return 7
        case .uploadCertificate: return 8
        case .certificateDigest: return 9
        case .deleteCertificate: return 10
        case .rotateServerCertificate: return 11
        case .amphoraDetails: return 12
        case .heartbeatStats: return 13
        case .updateAgentConfig: return 14
        case .interfaceForAddress: return 15
        case .plugVIP: return 16
        case .plugNetwork: return 17
        case .topology: return 18
        case .setTopology: return 19
        case .uploadVRRPConfig: return 20
        case .vrrpAction: return 21
        case .uploadLVSConfig: return 22
        case .lvsConfig: return 23
        case .loadBalancerAction: return 24
        case .deleteListener: return 25
        case .listListeners: return 26
        case .setInterfaceRules: return 27
        }
    }

    static func samples() throws -> [Command] {
        let id = try ResourceID(validating: lb)
        let ampID = try ResourceID(validating: amp)
        let file = try CertificateFileName(validating: "server.pem")
        let subnet = try CIDR(validating: "203.0.113.0/24")
        let vip = try SubnetAddress(
            address: try IPAddress(validating: "203.0.113.10"), subnet: subnet, gateway: try IPAddress(validating: "203.0.113.1"),
            hostRoutes: [try HostRoute(destination: try CIDR(validating: "198.51.100.0/24"), nexthop: try IPAddress(validating: "203.0.113.254"))])
        let member = try SubnetAddress(
            address: try IPAddress(validating: "2001:db8::5"), subnet: try CIDR(validating: "2001:db8::/64"), gateway: nil, hostRoutes: [])
        return [
            .frontSettings,
            .amphoraInfo,
            .uploadHAProxyConfig(HAProxyConfigUpload(instance: id, amphoraID: ampID, config: "global\n    daemon\n")),
            .haproxyConfig(instance: id),
            .haproxyAction(instance: id, action: .reload),
            .deleteInstance(instance: id),
            .listInstances,
            .instanceStatus(instance: id),
            .uploadCertificate(CertificateUpload(instance: id, file: file, content: "-----BEGIN CERTIFICATE-----\n", scope: .loadBalancer)),
            .certificateDigest(instance: id, file: file, scope: .listener),
            .deleteCertificate(instance: id, file: file, scope: .loadBalancer),
            .rotateServerCertificate(pem: "-----BEGIN CERTIFICATE-----\n"),
            .amphoraDetails,
            .heartbeatStats,
            .updateAgentConfig(text: "[amphora_agent]\n"),
            .interfaceForAddress(try IPAddress(validating: "203.0.113.10")),
            .plugVIP(try VIPPlug(
                vip: vip, mac: try MACAddress(validating: "fa:16:3e:00:00:01"), vrrpAddress: try IPAddress(validating: "203.0.113.11"),
                mtu: try MTU(validating: 1500), additionalVIPs: [])),
            .plugNetwork(try NetworkPlug(mac: try MACAddress(validating: "fa:16:3e:00:00:02"), fixedIPs: [member], mtu: nil)),
            .topology,
            .setTopology(try TopologyChange(
                topology: .activeStandby, role: .active, haIP: try IPAddress(validating: "203.0.113.2"), secret: "b20e06cf1abcf29c")),
            .uploadVRRPConfig(text: "vrrp_instance v {\n}\n"),
            .vrrpAction(.start),
            .uploadLVSConfig(LVSConfigUpload(listener: id, amphoraID: ampID, config: "net_namespace amphora-haproxy\n")),
            .lvsConfig(listener: id),
            .loadBalancerAction(id: id, action: .stop),
            .deleteListener(id: id),
            .listListeners,
            .setInterfaceRules(try InterfaceRules(
                address: try IPAddress(validating: "203.0.113.10"),
                rules: [try InterfaceRule(ruleProtocol: .tcp, cidr: try CIDR(validating: "192.0.2.0/24"), port: 443)])),
        ]
    }

    /// Hostile edits of one case's payload (the value under the case name), beyond the generic ones
    /// every case gets. Each returns the edited payload; every one must be refused on decode.
    static func semanticAttacks(_ command: Command) -> [(String, (JSONValue) -> JSONValue)] {
        let badID: [(String, (JSONValue) -> JSONValue)] = [
            ("uppercase id", { $0.setting(["instance"], .string(lb.uppercased())) }),
            ("path as id", { $0.setting(["instance"], .string("../../etc")) }),
        ]
        let badAction: (String, (JSONValue) -> JSONValue) = ("action restart", { $0.setting(["action"], .string("restart")) })
        let badFile: [(String, (JSONValue) -> JSONValue)] = [
            ("file with slash", { $0.setting(["file"], .string("../server.pem")) }),
            ("file without .pem", { $0.setting(["file"], .string("server")) }),
        ]
        let badScope: (String, (JSONValue) -> JSONValue) = ("unknown scope", { $0.setting(["scope"], .string("global")) })
        switch command {
        case .frontSettings, .amphoraInfo, .listInstances, .amphoraDetails, .heartbeatStats, .topology, .listListeners:
            return []
        case .uploadHAProxyConfig:
            return [
                ("bad instance", { $0.setting(["_0", "instance"], .string("lb")) }),
                ("bad amphora id", { $0.setting(["_0", "amphoraID"], .string(amp + "\n")) }),
            ]
        case .haproxyConfig, .deleteInstance, .instanceStatus:
            return badID
        case .haproxyAction:
            return badID + [badAction, ("action in upper case", { $0.setting(["action"], .string("RELOAD")) })]
        case .uploadCertificate:
            return [
                ("bad instance", { $0.setting(["_0", "instance"], .string("x")) }),
                ("file with slash", { $0.setting(["_0", "file"], .string("a/b.pem")) }),
                ("unknown scope", { $0.setting(["_0", "scope"], .string("root")) }),
            ]
        case .certificateDigest, .deleteCertificate:
            return badID + badFile + [badScope]
        case .rotateServerCertificate, .updateAgentConfig, .uploadVRRPConfig:
            // Free text: the helper's own policies read it; the type has no grammar beyond "a string".
            return []
        case .interfaceForAddress:
            return [
                ("zone id", { $0.setting(["_0"], .string("fe80::1%eth0")) }),
                ("not an address", { $0.setting(["_0"], .string("203.0.113.256")) }),
            ]
        case .plugVIP:
            let extra = JSONValue.object([("address", .string("203.0.113.20")), ("subnet", .string("203.0.113.0/24")), ("hostRoutes", .array([]))])
            let route = JSONValue.object([("destination", .string("198.51.100.0/24")), ("nexthop", .string("203.0.113.254"))])
            return [
                ("VIP outside its subnet", { $0.setting(["_0", "vip", "address"], .string("192.0.2.10")) }),
                ("vrrp address outside the VIP subnet", { $0.setting(["_0", "vrrpAddress"], .string("192.0.2.11")) }),
                ("multicast MAC", { $0.setting(["_0", "mac"], .string("01:00:5e:00:00:01")) }),
                ("MTU 10", { $0.setting(["_0", "mtu"], .number("10")) }),
                ("17 additional VIPs", { $0.setting(["_0", "additionalVIPs"], .array(Array(repeating: extra, count: 17))) }),
                ("65 host routes", { $0.setting(["_0", "vip", "hostRoutes"], .array(Array(repeating: route, count: 65))) }),
                ("duplicate host routes", { $0.setting(["_0", "vip", "hostRoutes"], .array([route, route])) }),
                ("route with an IPv6 next hop to an IPv4 network", {
                    $0.setting(["_0", "vip", "hostRoutes", "0", "nexthop"], .string("2001:db8::1"))
                }),
                ("gateway of the other family", { $0.setting(["_0", "vip", "gateway"], .string("2001:db8::1")) }),
                ("VIP on the subnet's broadcast address", { $0.setting(["_0", "vip", "address"], .string("203.0.113.255")) }),
                ("VIP on the subnet's network address", { $0.setting(["_0", "vip", "address"], .string("203.0.113.0")) }),
                ("vrrp address on the subnet's network address", { $0.setting(["_0", "vrrpAddress"], .string("203.0.113.0")) }),
                ("multicast gateway", { $0.setting(["_0", "vip", "gateway"], .string("224.0.0.18")) }),
                ("unspecified next hop", { $0.setting(["_0", "vip", "hostRoutes", "0", "nexthop"], .string("0.0.0.0")) }),
                ("gateway on the subnet's broadcast address", { $0.setting(["_0", "vip", "gateway"], .string("203.0.113.255")) }),
                ("gateway on the VIP itself", { $0.setting(["_0", "vip", "gateway"], .string("203.0.113.10")) }),
                ("next hop on the subnet's network address", { $0.setting(["_0", "vip", "hostRoutes", "0", "nexthop"], .string("203.0.113.0")) }),
            ]
        case .plugNetwork:
            let fixed = JSONValue.object([("address", .string("2001:db8::6")), ("subnet", .string("2001:db8::/64")), ("hostRoutes", .array([]))])
            return [
                ("17 fixed IPs", { $0.setting(["_0", "fixedIPs"], .array(Array(repeating: fixed, count: 17))) }),
                ("50,000 fixed IPs", { $0.setting(["_0", "fixedIPs"], .array(Array(repeating: fixed, count: 50_000))) }),
                ("address outside its subnet", { $0.setting(["_0", "fixedIPs", "0", "address"], .string("2001:db9::6")) }),
                ("broadcast MAC", { $0.setting(["_0", "mac"], .string("ff:ff:ff:ff:ff:ff")) }),
                ("multicast fixed IP", {
                    $0.setting(["_0", "fixedIPs", "0"], .object([("address", .string("ff02::1")), ("subnet", .string("ff02::/16")), ("hostRoutes", .array([]))]))
                }),
                ("loopback fixed IP", {
                    $0.setting(["_0", "fixedIPs", "0"], .object([("address", .string("::1")), ("subnet", .string("::/0")), ("hostRoutes", .array([]))]))
                }),
            ]
        case .setTopology:
            return [
                ("VRRP secret with a newline and braces", {
                    $0.setting(["_0", "secret"], .string("x\n}\nglobal_defs {\n    script_user root\n}\n"))
                }),
                ("VRRP secret with a brace", { $0.setting(["_0", "secret"], .string("ab}cd")) }),
                ("VRRP secret with a blank", { $0.setting(["_0", "secret"], .string("ab cd")) }),
                ("VRRP secret starting a comment", { $0.setting(["_0", "secret"], .string("!abc")) }),
                ("VRRP secret with an expansion", { $0.setting(["_0", "secret"], .string("a$HOME")) }),
                ("VRRP secret with a quote", { $0.setting(["_0", "secret"], .string("a\"b")) }),
                ("empty VRRP secret", { $0.setting(["_0", "secret"], .string("")) }),
                ("65-character VRRP secret", { $0.setting(["_0", "secret"], .string(String(repeating: "a", count: 65))) }),
                ("ACTIVE_STANDBY without a role", { $0.removing(["_0", "role"]) }),
                ("ACTIVE_STANDBY without ha_ip", { $0.removing(["_0", "haIP"]) }),
                ("multicast ha_ip", { $0.setting(["_0", "haIP"], .string("224.0.0.18")) }),
                ("ACTIVE_STANDBY without a secret", { $0.removing(["_0", "secret"]) }),
                ("ACTIVE_ACTIVE", { $0.setting(["_0", "topology"], .string("ACTIVE_ACTIVE")) }),
                ("tolerant topology spelling", { $0.setting(["_0", "topology"], .string("ACTIVE-STANDBY")) }),
            ]
        case .vrrpAction:
            return [("action restart", { $0.setting(["_0"], .string("restart")) })]
        case .uploadLVSConfig:
            return [("bad listener", { $0.setting(["_0", "listener"], .string("-listener")) })]
        case .lvsConfig:
            return [("bad listener", { $0.setting(["listener"], .string("a b")) })]
        case .deleteListener:
            return [
                ("id with a blank", { $0.setting(["id"], .string("a b")) }),
                ("uppercase id", { $0.setting(["id"], .string(lb.uppercased())) }),
                ("path as id", { $0.setting(["id"], .string("../../etc")) }),
            ]
        case .loadBalancerAction:
            return [
                ("empty id", { $0.setting(["id"], .string("")) }),
                ("path as id", { $0.setting(["id"], .string("../../etc")) }),
                badAction,
                ("action in upper case", { $0.setting(["action"], .string("STOP")) }),
            ]
        case .setInterfaceRules:
            let rule = JSONValue.object([("protocol", .string("TCP")), ("port", .number("80"))])
            return [
                ("port 0", { $0.setting(["_0", "rules", "0", "port"], .number("0")) }),
                ("port 65536", { $0.setting(["_0", "rules", "0", "port"], .number("65536")) }),
                ("unknown protocol", { $0.setting(["_0", "rules", "0", "protocol"], .string("ICMP")) }),
                ("4,097 rules", { $0.setting(["_0", "rules"], .array(Array(repeating: rule, count: 4097))) }),
                ("CIDR with host bits", { $0.setting(["_0", "rules", "0", "cidr"], .string("192.0.2.1/24")) }),
            ]
        }
    }

    /// Keys whose absence is valid (optional fields); removing any other key must be refused.
    static let optionalKeys: Set<String> = ["gateway", "vrrpAddress", "mtu", "role", "haIP", "secret", "cidr", "isSRIOV", "vipNetInfo"]
}

extension JSONValue {
    /// The value with the member (or array element, by its decimal index) at `path` replaced.
    func setting(_ path: [String], _ replacement: JSONValue) -> JSONValue {
        guard let head = path.first else { return replacement }
        let rest = Array(path.dropFirst())
        switch self {
        case .object(let members):
            return .object(members.map { $0.0 == head ? ($0.0, $0.1.setting(rest, replacement)) : $0 })
        case .array(let items):
            guard let index = Int(head), items.indices.contains(index) else { return self }
            var copy = items
            copy[index] = items[index].setting(rest, replacement)
            return .array(copy)
        default:
            return self
        }
    }

    /// The value with the object member at `path` removed (array elements on the way are named by index).
    func removing(_ path: [String]) -> JSONValue {
        guard let head = path.first else { return self }
        let rest = Array(path.dropFirst())
        switch self {
        case .object(let members):
            if rest.isEmpty { return .object(members.filter { $0.0 != head }) }
            return .object(members.map { $0.0 == head ? ($0.0, $0.1.removing(rest)) : $0 })
        case .array(let items):
            guard let index = Int(head), items.indices.contains(index), !rest.isEmpty else { return self }
            var copy = items
            copy[index] = items[index].removing(rest)
            return .array(copy)
        default:
            return self
        }
    }

    /// Every path to an object member or array element inside this value, depth first.
    var memberPaths: [[String]] {
        switch self {
        case .object(let members):
            return members.flatMap { key, value in [[key]] + value.memberPaths.map { [key] + $0 } }
        case .array(let items):
            return items.indices.flatMap { index in [[String(index)]] + items[index].memberPaths.map { [String(index)] + $0 } }
        default:
            return []
        }
    }
}

/// The frame payload the front would send for `command`, split into its case name and payload.
private func envelopeParts(_ command: Command) throws -> (name: String, payload: JSONValue) {
    let value = try StrictJSON.encodeValue(RequestEnvelope(id: 1, command: command))
    guard case .object(let members) = value, let commandValue = members.first(where: { $0.0 == "command" })?.1,
        case .object(let cases) = commandValue, cases.count == 1
    else { throw DecodeFailure.unexpectedShape }
    return (cases[0].0, cases[0].1)
}

private enum DecodeFailure: Error { case unexpectedShape }

/// The helper's decode path: bytes of a frame payload to a request.
private func helperDecodes(_ commandValue: JSONValue) -> Result<RequestEnvelope, any Error> {
    let document = JSONValue.object([("version", .number("1")), ("id", .number("1")), ("command", commandValue)])
    return Result { try StrictJSON.decode(RequestEnvelope.self, from: document.serialized()) }
}

@Suite("Every command validates on decode (validate twice)")
struct CommandDecodingTests {
    @Test("the catalogue has one sample per Command case, and each decodes back unchanged")
    func everyCaseHasAValidSample() throws {
        let samples = try CommandCatalogue.samples()
        #expect(Set(samples.map(CommandCatalogue.caseIndex)) == Set(0..<CommandCatalogue.caseCount))
        #expect(samples.count == CommandCatalogue.caseCount)
        for command in samples {
            let (name, payload) = try envelopeParts(command)
            let decoded = try helperDecodes(.object([(name, payload)])).get()
            #expect(decoded.command == command, "\(name)")
        }
    }

    @Test("every case refuses a payload of the wrong shape, an unknown key, and a second case")
    func everyCaseRefusesMalformedPayloads() throws {
        for command in try CommandCatalogue.samples() {
            let (name, payload) = try envelopeParts(command)
            var hostile: [(String, JSONValue)] = [
                ("payload is an array", .object([(name, .array([]))])),
                ("payload is a string", .object([(name, .string("x"))])),
                ("payload is null", .object([(name, .null)])),
                ("payload is a number", .object([(name, .number("1"))])),
                ("unknown case", .object([(name + "X", payload)])),
                ("two cases", .object([(name, payload), (name == "topology" ? "listInstances" : "topology", .object([]))])),
                ("no case", .object([])),
            ]
            if case .object(let members) = payload {
                hostile.append(("unknown key", .object([(name, .object(members + [("bogus", .number("1"))]))])))
            }
            for (label, commandValue) in hostile {
                #expect(throws: (any Error).self, "\(name): \(label)") { try helperDecodes(commandValue).get() }
            }
        }
    }

    @Test("every case refuses each field of the wrong type, at any depth, and each required field missing")
    func everyCaseRefusesEachFieldMistyped() throws {
        for command in try CommandCatalogue.samples() {
            let (name, payload) = try envelopeParts(command)
            for path in payload.memberPaths {
                // Only `isSRIOV` is a Bool (a string is the wrong type there); `true` is wrong for every other field.
                let mistyped = payload.setting(path, path.last == "isSRIOV" ? .string("true") : .bool(true))
                #expect(throws: (any Error).self, "\(name): \(path.joined(separator: ".")) mistyped") {
                    try helperDecodes(.object([(name, mistyped)])).get()
                }
                guard let last = path.last, Int(last) == nil, !CommandCatalogue.optionalKeys.contains(last) else { continue }
                let missing = payload.removing(path)
                #expect(missing != payload, "\(name): \(path.joined(separator: ".")) was not removed")
                #expect(throws: (any Error).self, "\(name): without \(path.joined(separator: "."))") {
                    try helperDecodes(.object([(name, missing)])).get()
                }
            }
        }
    }

    @Test("every case refuses its own hostile values: the validating initialisers run on decode")
    func everyCaseRefusesItsSemanticAttacks() throws {
        var attacked = 0
        for command in try CommandCatalogue.samples() {
            let (name, payload) = try envelopeParts(command)
            for (label, edit) in CommandCatalogue.semanticAttacks(command) {
                let edited = edit(payload)
                #expect(edited != payload, "\(name): \(label) did not change the payload")
                #expect(throws: (any Error).self, "\(name): \(label)") { try helperDecodes(.object([(name, edited)])).get() }
                attacked += 1
            }
        }
        #expect(attacked > 50)
    }

    @Test("vrrpSecretWithNewlineIsRefusedOnDecode: the secret never reaches keepalived's auth_pass")
    func vrrpSecretWithNewlineIsRefusedOnDecode() throws {
        let json = #"{"version":1,"id":1,"command":{"setTopology":{"_0":{"topology":"ACTIVE_STANDBY","role":"ACTIVE","haIP":"203.0.113.2","secret":"pw\n}\nvrrp_script x {"}}}}"#
        let error = try #require(throws: DecodingError.self) { try StrictJSON.decode(RequestEnvelope.self, from: Array(json.utf8)) }
        #expect("\(error)".contains("secret must be"))
    }

    @Test("fiftyThousandFixedIPsAreRefusedOnDecode, and 17 are refused before any entry is decoded")
    func fiftyThousandFixedIPsAreRefusedOnDecode() throws {
        let entry = #"{"address":"192.0.2.10","subnet":"192.0.2.0/24","hostRoutes":[]}"#
        func request(_ count: Int) -> [UInt8] {
            let list = Array(repeating: entry, count: count).joined(separator: ",")
            return Array(#"{"version":1,"id":1,"command":{"plugNetwork":{"_0":{"mac":"fa:16:3e:00:00:02","fixedIPs":[\#(list)]}}}}"#.utf8)
        }
        #expect(throws: (any Error).self) { try StrictJSON.decode(RequestEnvelope.self, from: request(50_000)) }
        let seventeen = try #require(throws: DecodingError.self) { try StrictJSON.decode(RequestEnvelope.self, from: request(17)) }
        #expect("\(seventeen)".contains("fixed_ips: more than 16 addresses"))
        // A bad 17th entry is not even looked at: the count is refused first.
        let badLast = Array(repeating: entry, count: 16) + [#"{"address":"x"}"#]
        let shaped = Array(#"{"version":1,"id":1,"command":{"plugNetwork":{"_0":{"mac":"fa:16:3e:00:00:02","fixedIPs":[\#(badLast.joined(separator: ","))]}}}}"#.utf8)
        #expect(throws: DecodingError.self) { try StrictJSON.decode(RequestEnvelope.self, from: shaped) }
        #expect(try StrictJSON.decode(RequestEnvelope.self, from: request(16)).command.name == "plug-network")
    }

    @Test("the largest legitimate command fits the element cap: 4,096 interface rules with CIDRs")
    func largestLegitimateCommandFitsTheElementCap() throws {
        let rules = try (0..<InterfaceRules.maximumRules).map { index in
            try InterfaceRule(ruleProtocol: .udp, cidr: try CIDR(validating: "198.51.100.\(index % 256)/32"), port: 1 + index)
        }
        let command = Command.setInterfaceRules(try InterfaceRules(address: try IPAddress(validating: "203.0.113.10"), rules: rules))
        let bytes = try StrictJSON.encode(RequestEnvelope(id: 9, command: command))
        #expect(try StrictJSON.decode(RequestEnvelope.self, from: bytes).command == command)
    }
}
