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
    /// The last transition that failed, until a later one succeeds (absent in files of older agents).
    public var lastFailure: TopologyFailure?

    public init(topology: Topology, role: TopologyRole?, haIP: IPAddress?, status: TopologyStatus, lastFailure: TopologyFailure? = nil) {
        self.topology = topology
        self.role = role
        self.haIP = haIP
        self.status = status
        self.lastFailure = lastFailure
    }
}

/// A topology transition that was refused or rolled back: what was asked (never the secret) and why.
public struct TopologyFailure: Sendable, Codable, Equatable {
    public var topology: Topology
    public var role: TopologyRole?
    public var haIP: IPAddress?
    /// The error's message and details, as the wire has them.
    public var message: String
    public var details: String?

    public init(topology: Topology, role: TopologyRole?, haIP: IPAddress?, message: String, details: String?) {
        self.topology = topology
        self.role = role
        self.haIP = haIP
        self.message = message
        self.details = details
    }
}

/// `POST /v0.1/topology`: already validated by the front (every failing parameter named), and
/// validated again when the helper decodes it.
public struct TopologyChange: Sendable, Codable, Equatable {
    /// Largest VRRP secret (keepalived's PASS authentication uses at most 8 characters of it; the
    /// seed spec's example is a 40-character SHA-1, Octavia's own `vrrp_auth_pass` 7 hex digits).
    public static let maximumSecretLength = 64

    public var topology: Topology
    public var role: TopologyRole?
    public var haIP: IPAddress?
    /// The VRRP secret; key material: stored 0600 and never logged.
    public var secret: String?

    /// Characters of a VRRP secret: those of the keepalived grammar's `<secret>` shape
    /// (`Sources/Helper/KeepalivedConfigGrammar.swift`, `policy/keepalived-vrrp.txt`). keepalived
    /// reads `!` and `#` as comments, `@` and `~` as directives, quotes, `\`, `$` and braces as syntax:
    /// none of them is here.
    public static let secretCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+=:,/-".utf8)

    /// Whether `secret` can be written as keepalived's `auth_pass` argument and read back as one
    /// word, unchanged: 1 to ``maximumSecretLength`` of ``secretCharacters`` (the helper writes its
    /// first 8 characters, which the grammar's `<secret>` shape then accepts).
    public static func isValidSecret(_ secret: String) -> Bool {
        let bytes = Array(secret.utf8)
        return !bytes.isEmpty && bytes.count <= maximumSecretLength && bytes.allSatisfy { secretCharacters.contains($0) }
    }

    /// Checks the combination: ACTIVE-STANDBY needs a role, an ha_ip and a secret (see
    /// ``isValidSecret(_:)``). Returns every problem, one per parameter.
    public static func problems(topology: Topology, role: TopologyRole?, haIP: IPAddress?, secret: String?) -> [ValidationError] {
        var problems: [ValidationError] = []
        if topology == .activeActive { problems.append(ValidationError(field: "topology", reason: "Unsupported topology: ACTIVE-ACTIVE")) }
        if topology == .activeStandby {
            if role == nil { problems.append(ValidationError(field: "role", reason: "role is required for ACTIVE-STANDBY")) }
            if haIP == nil { problems.append(ValidationError(field: "ha_ip", reason: "ha_ip is required for ACTIVE-STANDBY")) }
            if let haIP, !haIP.isUnicast {
                problems.append(ValidationError(field: "ha_ip", reason: "ha_ip \(haIP) is not a unicast address"))
            }
            if secret == nil { problems.append(ValidationError(field: "secret", reason: "secret is required for ACTIVE-STANDBY")) }
        }
        if let secret, !isValidSecret(secret) {
            problems.append(ValidationError(
                field: "secret",
                reason: "secret must be 1 to \(maximumSecretLength) letters, digits or '._+=:,/-'"))
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

    /// Decodes through ``init(topology:role:haIP:secret:)``: a secret that could break out of
    /// keepalived's `auth_pass` line never reaches the helper's renderer.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let topology = try c.decode(Topology.self, forKey: .topology)
        let role = try c.decodeIfPresent(TopologyRole.self, forKey: .role)
        let haIP = try c.decodeIfPresent(IPAddress.self, forKey: .haIP)
        let secret = try c.decodeIfPresent(String.self, forKey: .secret)
        do {
            try self.init(topology: topology, role: role, haIP: haIP, secret: secret)
        } catch {
            throw ValueGrammar.corrupted(error, decoder)
        }
    }
}
