/// The IPC protocol version both sides speak. A frame carrying another version is refused.
public enum IPCVersion {
    public static let current = 1
}

/// One request from the front to the helper.
public struct RequestEnvelope: Sendable, Codable, Equatable {
    public let version: Int
    /// Chosen by the front, unique per connection; echoed in the reply.
    public let id: UInt64
    public let command: Command

    public init(id: UInt64, command: Command, version: Int = IPCVersion.current) {
        self.version = version
        self.id = id
        self.command = command
    }
}

/// The helper's answer to one ``RequestEnvelope``.
public struct ReplyEnvelope: Sendable, Codable, Equatable {
    public let version: Int
    public let id: UInt64
    public let outcome: Outcome

    public init(id: UInt64, outcome: Outcome, version: Int = IPCVersion.current) {
        self.version = version
        self.id = id
        self.outcome = outcome
    }
}

/// Success with a typed reply, or a typed error.
public enum Outcome: Sendable, Codable, Equatable {
    case ok(Reply)
    case failed(CommandError)
}

/// The closed set of operations the front may ask of the helper.
///
/// Every payload is made of validated value types, so a decoded command is already well formed;
/// the helper still re-validates state-dependent rules (existence, tmpfs, topology).
public enum Command: Sendable, Codable, Equatable {
    /// The front's listening address, TLS identity and heartbeat settings (sent at start and after rotation).
    case frontSettings
    /// Hostname and package versions for `/info` (cached by the helper; no process per request).
    case amphoraInfo

    /// A short name for logs and the audit log (never includes payload data).
    public var name: String {
        switch self {
        case .frontSettings: return "front-settings"
        case .amphoraInfo: return "amphora-info"
        }
    }
}

/// The typed result of a successful ``Command``.
public enum Reply: Sendable, Codable, Equatable {
    case frontSettings(FrontSettings)
    case amphoraInfo(AmphoraInfo)
}

/// What the front needs to serve: where to listen, which identity to present, whom to trust.
public struct FrontSettings: Sendable, Codable, Equatable {
    public var amphoraID: ResourceID
    public var bindHost: String
    public var bindPort: Int
    /// Seconds a request may take to arrive (`agent_request_read_timeout`).
    public var requestReadTimeout: Int
    public var tls: TLSIdentity
    public var heartbeat: HeartbeatSettings

    public init(
        amphoraID: ResourceID, bindHost: String, bindPort: Int, requestReadTimeout: Int, tls: TLSIdentity,
        heartbeat: HeartbeatSettings
    ) {
        self.amphoraID = amphoraID
        self.bindHost = bindHost
        self.bindPort = bindPort
        self.requestReadTimeout = requestReadTimeout
        self.tls = tls
        self.heartbeat = heartbeat
    }
}

/// The agent's server certificate chain, its key, and the CA that client certificates must chain to.
///
/// Key material: never logged; the audit log records only ``serverCertificateDigest``.
public struct TLSIdentity: Sendable, Codable, Equatable {
    public var serverCertificateChainPEM: String
    public var serverPrivateKeyPEM: String
    public var clientCAPEM: String
    /// SHA-256 of the leaf certificate (hex), for logs.
    public var serverCertificateDigest: String

    public init(serverCertificateChainPEM: String, serverPrivateKeyPEM: String, clientCAPEM: String, serverCertificateDigest: String) {
        self.serverCertificateChainPEM = serverCertificateChainPEM
        self.serverPrivateKeyPEM = serverPrivateKeyPEM
        self.clientCAPEM = clientCAPEM
        self.serverCertificateDigest = serverCertificateDigest
    }
}

/// Where and how often the front sends the HMAC-signed UDP heartbeat.
public struct HeartbeatSettings: Sendable, Codable, Equatable {
    /// `host:port` or `[v6]:port` entries, in order (round-robin).
    public var controllers: [String]
    public var intervalSeconds: Int
    /// The shared HMAC key (`heartbeat_key`); never logged.
    public var key: String

    public init(controllers: [String], intervalSeconds: Int, key: String) {
        self.controllers = controllers
        self.intervalSeconds = intervalSeconds
        self.key = key
    }
}

/// Facts for `/info` (both API versions).
public struct AmphoraInfo: Sendable, Codable, Equatable {
    public var hostname: String
    public var amphoraID: ResourceID
    /// Debian package versions (`dpkg-query`), nil when the package is not installed.
    public var haproxyVersion: String?
    public var keepalivedVersion: String?
    public var ipvsadmVersion: String?

    public init(hostname: String, amphoraID: ResourceID, haproxyVersion: String?, keepalivedVersion: String?, ipvsadmVersion: String?) {
        self.hostname = hostname
        self.amphoraID = amphoraID
        self.haproxyVersion = haproxyVersion
        self.keepalivedVersion = keepalivedVersion
        self.ipvsadmVersion = ipvsadmVersion
    }
}

/// A typed failure: the front maps ``code`` to each API version's status and body.
public struct CommandError: Error, Sendable, Codable, Equatable, CustomStringConvertible {
    /// The class of failure; decides the HTTP status.
    public enum Code: String, Sendable, Codable {
        case badRequest = "bad-request"
        case notFound = "not-found"
        case conflict
        case unavailable
        case tooLarge = "too-large"
        case internalError = "internal"
    }

    public var code: Code
    /// A short sentence safe to show the controller (no paths of secrets, no key material).
    public var message: String
    /// Tool output or other detail, when useful to the caller.
    public var details: String?

    public init(_ code: Code, _ message: String, details: String? = nil) {
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String {
        details.map { "\(code.rawValue): \(message) (\($0))" } ?? "\(code.rawValue): \(message)"
    }
}
