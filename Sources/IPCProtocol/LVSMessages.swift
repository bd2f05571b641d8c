/// A keepalived (LVS) configuration upload for one UDP or SCTP listener (`PUT /1.0/listeners/:amp/:listener/udp_listener`).
public struct LVSConfigUpload: Sendable, Codable, Equatable {
    public var listener: ResourceID
    /// The amphora id from the URL (upstream ignores it; kept for the audit log).
    public var amphoraID: ResourceID
    /// The configuration text (UTF-8, no NUL; checked by the front and again by the helper).
    public var config: String

    public init(listener: ResourceID, amphoraID: ResourceID, config: String) {
        self.listener = listener
        self.amphoraID = amphoraID
        self.config = config
    }
}

/// Whether a UDP listener's keepalived runs (upstream's words in `GET /1.0/listeners`).
public enum LVSListenerState: String, Sendable, Codable {
    /// keepalived runs and the configuration has a `virtual_server`.
    case active = "ACTIVE"
    /// Not running (never started, stopped, or the listener is disabled).
    case offline = "OFFLINE"
    /// Running, but the configuration has no `virtual_server` left.
    case error = "ERROR"
}

/// One stored UDP listener.
public struct LVSListenerSummary: Sendable, Codable, Equatable {
    public var listener: ResourceID
    public var state: LVSListenerState
    public init(listener: ResourceID, state: LVSListenerState) {
        self.listener = listener
        self.state = state
    }
}

/// Every listener the agent serves, for `GET /1.0/listeners`: the haproxy instances (whose frontends
/// are the listeners) and the UDP listeners.
public struct ListenerListing: Sendable, Codable, Equatable {
    public var instances: [InstanceSummary]
    public var lvsListeners: [LVSListenerSummary]
    public init(instances: [InstanceSummary], lvsListeners: [LVSListenerSummary]) {
        self.instances = instances
        self.lvsListeners = lvsListeners
    }
}

/// The protocols an interface rule may open (`rules_schema.py`).
public enum RuleProtocol: String, Sendable, Codable, CaseIterable {
    case tcp = "TCP"
    case udp = "UDP"
    case sctp = "SCTP"
    /// IP protocol 112; the port is ignored.
    case vrrp = "VRRP"
}

/// One rule of `PUT /1.0/interface/:ip/rules`: traffic of `protocol` to `port` from `cidr` (nil: anyone) is accepted.
public struct InterfaceRule: Sendable, Codable, Equatable {
    public var ruleProtocol: RuleProtocol
    public var cidr: CIDR?
    /// 1...65535.
    public let port: Int

    /// Refuses a port outside 1...65535.
    public init(ruleProtocol: RuleProtocol, cidr: CIDR?, port: Int) throws(ValidationError) {
        guard (1...65535).contains(port) else { throw ValidationError(field: "port", reason: "must be between 1 and 65535") }
        self.ruleProtocol = ruleProtocol
        self.cidr = cidr
        self.port = port
    }

    enum CodingKeys: String, CodingKey { case ruleProtocol = "protocol", cidr, port }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let port = try container.decode(Int.self, forKey: .port)
        do {
            try self.init(
                ruleProtocol: try container.decode(RuleProtocol.self, forKey: .ruleProtocol),
                cidr: try container.decodeIfPresent(CIDR.self, forKey: .cidr), port: port)
        } catch let error as ValidationError {
            throw DecodingError.dataCorruptedError(forKey: .port, in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ruleProtocol, forKey: .ruleProtocol)
        try container.encodeIfPresent(cidr, forKey: .cidr)
        try container.encode(port, forKey: .port)
    }
}

/// The rules for the interface that holds `address` in the amphora namespace (they replace the previous ones).
public struct InterfaceRules: Sendable, Codable, Equatable {
    public var address: IPAddress
    public var rules: [InterfaceRule]
    /// More rules than any load balancer needs are refused (the ruleset file stays small).
    public static let maximumRules = 4096

    public init(address: IPAddress, rules: [InterfaceRule]) throws(ValidationError) {
        guard rules.count <= Self.maximumRules else { throw ValidationError(field: "rules", reason: "more than \(Self.maximumRules) rules") }
        self.address = address
        self.rules = rules
    }

    /// Decodes through ``init(address:rules:)``; an over-long rule list is refused before any of
    /// its entries is decoded.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let address = try c.decode(IPAddress.self, forKey: .address)
        let rules = try c.decodeArray(
            InterfaceRule.self, forKey: .rules, atMost: Self.maximumRules, field: "rules", reason: "more than \(Self.maximumRules) rules")
        do {
            try self.init(address: address, rules: rules)
        } catch {
            throw ValueGrammar.corrupted(error, decoder)
        }
    }
}
