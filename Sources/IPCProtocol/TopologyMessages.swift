/// Whether a topology change is being carried out.
public enum TopologyStatus: String, Sendable, Codable {
    case ok = "OK"
    /// Mutating calls answer 503 `Topology transition in progress` meanwhile.
    case changing = "TOPOLOGY-CHANGE"
}

/// The amphora's place in its load balancer.
public struct TopologyState: Sendable, Codable, Equatable {
    public var topology: Topology
    public var role: TopologyRole?
    public var haIP: IPAddress?
    public var status: TopologyStatus

    public init(topology: Topology, role: TopologyRole?, haIP: IPAddress?, status: TopologyStatus) {
        self.topology = topology
        self.role = role
        self.haIP = haIP
        self.status = status
    }
}

/// `POST /v0.1/topology`: already validated by the front (every failing parameter named).
public struct TopologyChange: Sendable, Codable, Equatable {
    /// Largest VRRP secret (keepalived's PASS authentication uses at most 8 characters of it).
    public static let maximumSecretLength = 64

    public var topology: Topology
    public var role: TopologyRole?
    public var haIP: IPAddress?
    /// The VRRP secret; key material: stored 0600 and never logged.
    public var secret: String?

    /// Checks the combination: ACTIVE-STANDBY needs a role, an ha_ip and a secret of printable ASCII
    /// without blanks or quotes. Returns every problem, one per parameter.
    public static func problems(topology: Topology, role: TopologyRole?, haIP: IPAddress?, secret: String?) -> [ValidationError] {
        var problems: [ValidationError] = []
        if topology == .activeActive { problems.append(ValidationError(field: "topology", reason: "Unsupported topology: ACTIVE-ACTIVE")) }
        if topology == .activeStandby {
            if role == nil { problems.append(ValidationError(field: "role", reason: "role is required for ACTIVE-STANDBY")) }
            if haIP == nil { problems.append(ValidationError(field: "ha_ip", reason: "ha_ip is required for ACTIVE-STANDBY")) }
            if secret == nil { problems.append(ValidationError(field: "secret", reason: "secret is required for ACTIVE-STANDBY")) }
        }
        if let secret {
            let bytes = Array(secret.utf8)
            if bytes.isEmpty || bytes.count > maximumSecretLength
                || !bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "'") && $0 != UInt8(ascii: "\\") })
            {
                problems.append(ValidationError(field: "secret", reason: "secret must be 1 to \(maximumSecretLength) printable ASCII characters without blanks or quotes"))
            }
        }
        return problems
    }

    public init(topology: Topology, role: TopologyRole?, haIP: IPAddress?, secret: String?) throws(ValidationError) {
        if let first = Self.problems(topology: topology, role: role, haIP: haIP, secret: secret).first { throw first }
        self.topology = topology
        self.role = role
        self.haIP = haIP
        self.secret = secret
    }
}
