/// The IPC protocol version both sides speak. A frame carrying another version is refused.
/// The version of the front–helper protocol; both sides refuse any other.
///
/// 2: a request carries the controller request it was sent for (``RequestEnvelope/origin``).
public enum IPCVersion {
    public static let current = 2
}

/// One request from the front to the helper.
public struct RequestEnvelope: Sendable, Codable, Equatable {
    public let version: Int
    /// Chosen by the front, unique per connection; echoed in the reply.
    public let id: UInt64
    public let command: Command
    /// The controller's HTTP request the command serves; nil when the front asks on its own
    /// (its settings at start, the heartbeat). The front's claim, validated but unverifiable.
    public let origin: ControllerRequest?

    public init(id: UInt64, command: Command, origin: ControllerRequest? = nil, version: Int = IPCVersion.current) {
        self.version = version
        self.id = id
        self.command = command
        self.origin = origin
    }
}

extension RequestEnvelope: BoundedJSONDocument {
    /// What the helper parses from the front: ``JSONValue/maximumElements`` (its doc comment has
    /// the arithmetic, from the largest legitimate command). A new command with long lists must fit.
    public static var maximumJSONElements: Int { JSONValue.maximumElements }
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

extension ReplyEnvelope: BoundedJSONDocument {
    /// What the front parses from the helper: 2^21 values. The largest reply is the heartbeat's
    /// listener and pool list: 3 values per member (object, name, status), 4 per pool, 8 per
    /// listener; 2,097,152 values hold some 690,000 members, more servers than a haproxy
    /// configuration within the 32 MiB upload limit can declare (the shortest `server` line Octavia
    /// renders, a UUID name and an IPv4 address, is over 60 bytes: 550,000 servers at most).
    public static var maximumJSONElements: Int { 1 << 21 }
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
    /// Store a haproxy configuration for an instance after `haproxy -c` accepts it.
    case uploadHAProxyConfig(HAProxyConfigUpload)
    /// The stored configuration of an instance.
    case haproxyConfig(instance: ResourceID)
    /// Start, stop or reload an instance's haproxy.
    case haproxyAction(instance: ResourceID, action: ServiceAction)
    /// Stop an instance and remove its configuration, stats socket and certificates.
    case deleteInstance(instance: ResourceID)
    /// Every configured instance with its state and frontends.
    case listInstances
    /// One instance's state, frontends and pools (from haproxy's stats socket).
    case instanceStatus(instance: ResourceID)
    /// Store a certificate bundle (or crt-list) for an instance on the tmpfs certificate directory.
    case uploadCertificate(CertificateUpload)
    /// The MD5 of a stored certificate file.
    case certificateDigest(instance: ResourceID, file: CertificateFileName, scope: CertificateScope)
    /// Remove a stored certificate file (and the instance's directory when it becomes empty).
    case deleteCertificate(instance: ResourceID, file: CertificateFileName, scope: CertificateScope)
    /// Replace the agent's own server certificate and key (checked first; the old one stays on failure).
    case rotateServerCertificate(pem: String)
    /// Host and instance facts for `/details` (no process is started to answer).
    case amphoraDetails
    /// The next heartbeat's listeners and pools, counters as deltas since the previous one (persisted).
    case heartbeatStats
    /// Validate and store a new agent configuration (`PUT /1.0/config`); returns the heartbeat settings it sets.
    case updateAgentConfig(text: String)
    /// The interface in the amphora namespace that holds an address.
    case interfaceForAddress(IPAddress)
    /// Move the port with the VIP's MAC into the amphora namespace and configure the VIP on it.
    case plugVIP(VIPPlug)
    /// Move (or reconfigure) a member-network port in the amphora namespace.
    case plugNetwork(NetworkPlug)
    /// The amphora's topology, role, ha_ip and whether a change is under way.
    case topology
    /// Change the topology (ACTIVE-STANDBY: the agent renders and runs its own keepalived).
    case setTopology(TopologyChange)
    /// Store a controller-rendered keepalived configuration after `keepalived --config-test` accepts it.
    case uploadVRRPConfig(text: String)
    /// Start, stop or reload keepalived.
    case vrrpAction(ServiceAction)
    /// Store a UDP listener's keepalived (LVS) configuration after it passes the policy and `keepalived --config-test`.
    case uploadLVSConfig(LVSConfigUpload)
    /// A UDP listener's stored configuration.
    case lvsConfig(listener: ResourceID)
    /// Start, stop or reload whatever owns `id` (`PUT /1.0/loadbalancer/:id/:action`): the helper looks the
    /// id up, a haproxy load balancer first, else a stored UDP listener's keepalived (upstream's
    /// `get_backend_for_lb_object`).
    case loadBalancerAction(id: ResourceID, action: ServiceAction)
    /// Remove whatever owns `id` (`DELETE /1.0/listeners/:id`): a haproxy load balancer and/or a UDP listener.
    case deleteListener(id: ResourceID)
    /// Every haproxy instance and every stored UDP listener (`GET /1.0/listeners`).
    case listListeners
    /// Replace the nftables rules of the interface holding an address (`PUT /1.0/interface/:ip/rules`).
    case setInterfaceRules(InterfaceRules)

    /// A short name for logs and the audit log (never includes payload data).
    public var name: String {
        switch self {
        case .frontSettings: return "front-settings"
        case .amphoraInfo: return "amphora-info"
        case .uploadHAProxyConfig: return "haproxy-upload"
        case .haproxyConfig: return "haproxy-config"
        case .haproxyAction(_, let action): return "haproxy-\(action.rawValue)"
        case .deleteInstance: return "instance-delete"
        case .listInstances: return "instance-list"
        case .instanceStatus: return "instance-status"
        case .uploadCertificate: return "certificate-upload"
        case .certificateDigest: return "certificate-digest"
        case .deleteCertificate: return "certificate-delete"
        case .rotateServerCertificate: return "server-certificate-rotate"
        case .amphoraDetails: return "amphora-details"
        case .heartbeatStats: return "heartbeat-stats"
        case .updateAgentConfig: return "agent-config-update"
        case .interfaceForAddress: return "interface-lookup"
        case .plugVIP: return "plug-vip"
        case .plugNetwork: return "plug-network"
        case .topology: return "topology"
        case .setTopology: return "topology-change"
        case .uploadVRRPConfig: return "vrrp-upload"
        case .vrrpAction(let action): return "vrrp-\(action.rawValue)"
        case .uploadLVSConfig: return "lvs-upload"
        case .lvsConfig: return "lvs-config"
        case .loadBalancerAction(_, let action): return "loadbalancer-\(action.rawValue)"
        case .deleteListener: return "listener-delete"
        case .listListeners: return "listener-list"
        case .setInterfaceRules: return "interface-rules"
        }
    }

    /// True for commands that change state (refused while a topology transition runs).
    public var isMutating: Bool {
        switch self {
        case .updateAgentConfig: return true
        case .amphoraDetails, .heartbeatStats: return false
        case .uploadHAProxyConfig, .haproxyAction, .deleteInstance, .uploadCertificate, .deleteCertificate, .rotateServerCertificate,
            .plugVIP, .plugNetwork, .setTopology, .uploadVRRPConfig, .vrrpAction:
            return true
        case .topology: return false
        case .uploadLVSConfig, .loadBalancerAction, .deleteListener, .setInterfaceRules: return true
        case .lvsConfig, .listListeners: return false
        case .frontSettings, .amphoraInfo, .haproxyConfig, .listInstances, .instanceStatus, .certificateDigest, .interfaceForAddress:
            return false
        }
    }
}

/// The typed result of a successful ``Command``.
public enum Reply: Sendable, Codable, Equatable {
    case frontSettings(FrontSettings)
    case amphoraInfo(AmphoraInfo)
    /// The configuration was checked and is now the instance's active one.
    case haproxyConfigStored(checkOutput: String)
    case haproxyConfig(StoredFile)
    /// An action completed; `details` is what the operator reads (haproxy's words where useful).
    case actionDone(details: String)
    /// `existed` is false when there was nothing to delete (v0.1 answers 404, 1.0 answers 200).
    case deleted(existed: Bool)
    case instances([InstanceSummary])
    case instanceStatus(InstanceStatus)
    /// A stored or looked-up certificate file's MD5.
    case certificateDigest(md5: String)
    /// The new identity, which the front starts presenting on the next handshake.
    case serverCertificateRotated(TLSIdentity)
    case amphoraDetails(AmphoraDetails)
    case heartbeatStats(HeartbeatReport)
    /// The new configuration is stored; the heartbeat uses these settings from now on.
    case agentConfigUpdated(HeartbeatSettings)
    /// An interface name in the amphora namespace.
    case interface(name: String)
    /// A plugged interface; `updated` when it was already there and was reconfigured.
    case plugged(interface: String, updated: Bool)
    case topology(TopologyState)
    /// A stored keepalived configuration's MD5.
    case vrrpStored(md5: String)
    /// A UDP listener's configuration is stored; its MD5.
    case lvsStored(md5: String)
    case lvsConfig(StoredFile)
    /// The haproxy instances and the UDP listeners, for `GET /1.0/listeners`.
    case listeners(ListenerListing)
}

/// Which API a certificate call comes from: the rules differ.
public enum CertificateScope: String, Sendable, Codable {
    /// v0.1: the listener must exist; the body must be a key and certificate chain whose first
    /// certificate matches the key; the file is named after its common name.
    case listener
    /// 1.0: the load balancer's directory is created on demand; any PEM bundle (certificates, CA
    /// bundles, CRLs) or crt-list is stored; deletes are idempotent.
    case loadBalancer
}

/// A certificate upload.
public struct CertificateUpload: Sendable, Codable, Equatable {
    public var instance: ResourceID
    public var file: CertificateFileName
    /// PEM or crt-list text; key material, never logged.
    public var content: String
    public var scope: CertificateScope

    public init(instance: ResourceID, file: CertificateFileName, content: String, scope: CertificateScope) {
        self.instance = instance
        self.file = file
        self.content = content
        self.scope = scope
    }
}

/// A haproxy configuration upload for one instance (a v0.1 listener or a 1.0 load balancer).
public struct HAProxyConfigUpload: Sendable, Codable, Equatable {
    public var instance: ResourceID
    /// The amphora id from the URL; the haproxy peer name derives from it.
    public var amphoraID: ResourceID
    /// The configuration text (UTF-8, no NUL; checked by the front and again by the helper).
    public var config: String

    public init(instance: ResourceID, amphoraID: ResourceID, config: String) {
        self.instance = instance
        self.amphoraID = amphoraID
        self.config = config
    }
}

/// A stored file and its MD5 (Octavia compares files by MD5).
public struct StoredFile: Sendable, Codable, Equatable {
    public var text: String
    public var md5: String
    public init(text: String, md5: String) {
        self.text = text
        self.md5 = md5
    }
}

/// An interface a plug command configured.
///
/// `name` is the interface in the amphora namespace; `updated` is true when the port was already
/// plugged and was reconfigured.
public struct PluggedInterface: Sendable, Equatable {
    public let name: String, updated: Bool
    public init(name: String, updated: Bool) { (self.name, self.updated) = (name, updated) }
}

/// Whether an instance's haproxy runs.
public enum InstanceState: String, Sendable, Codable {
    /// Running and answering on its stats socket.
    case active = "ACTIVE"
    /// Configured, not running.
    case stopped = "STOPPED"
    /// Running but not answering, or the last start failed.
    case error = "ERROR"
}

/// A `frontend` section of an instance's configuration.
public struct FrontendSummary: Sendable, Codable, Equatable {
    /// The frontend name (the listener id in configurations the controller renders).
    public var name: String
    /// TCP, HTTP or TERMINATED_HTTPS.
    public var type: String
    public init(name: String, type: String) {
        self.name = name
        self.type = type
    }
}

/// One configured instance.
public struct InstanceSummary: Sendable, Codable, Equatable {
    public var instance: ResourceID
    public var state: InstanceState
    public var frontends: [FrontendSummary]
    public init(instance: ResourceID, state: InstanceState, frontends: [FrontendSummary]) {
        self.instance = instance
        self.state = state
        self.frontends = frontends
    }
}

/// A backend as haproxy reports it.
public struct PoolStatus: Sendable, Codable, Equatable {
    public var name: String
    /// UP, DOWN or DEGRADED (UP with a member down).
    public var status: String
    /// Member name and status (UP or DOWN), in configuration order.
    public var members: [MemberStatus]
    public init(name: String, status: String, members: [MemberStatus]) {
        self.name = name
        self.status = status
        self.members = members
    }
}

/// A server of a backend.
public struct MemberStatus: Sendable, Codable, Equatable {
    public var name: String
    public var status: String
    public init(name: String, status: String) {
        self.name = name
        self.status = status
    }
}

/// One instance's full status.
public struct InstanceStatus: Sendable, Codable, Equatable {
    public var summary: InstanceSummary
    public var pools: [PoolStatus]
    public init(summary: InstanceSummary, pools: [PoolStatus]) {
        self.summary = summary
        self.pools = pools
    }
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
    /// Logging and the TLS minimum, from the configuration the helper read.
    public var options: FrontOptions

    public init(
        amphoraID: ResourceID, bindHost: String, bindPort: Int, requestReadTimeout: Int, tls: TLSIdentity,
        heartbeat: HeartbeatSettings, options: FrontOptions = FrontOptions()
    ) {
        self.amphoraID = amphoraID
        self.bindHost = bindHost
        self.bindPort = bindPort
        self.requestReadTimeout = requestReadTimeout
        self.tls = tls
        self.heartbeat = heartbeat
        self.options = options
    }
}

/// The front's share of the logging keys and `agent_tls_protocol`.
public struct FrontOptions: Sendable, Codable, Equatable {
    /// `[DEFAULT] debug`: log at debug level.
    public var debug: Bool
    /// With `use_syslog`: the syslog socket the helper chose; nil when off or when none exists.
    public var syslogSocket: String?
    /// The facility number of the syslog lines (`LOG_LOCAL1` is 17).
    public var syslogFacility: Int
    /// `agent_tls_protocol = TLSv1.3`: TLS 1.3 is the minimum (TLS 1.2 otherwise).
    public var requireTLS13: Bool

    public init(debug: Bool = false, syslogSocket: String? = nil, syslogFacility: Int = 17, requireTLS13: Bool = false) {
        self.debug = debug
        self.syslogSocket = syslogSocket
        self.syslogFacility = syslogFacility
        self.requireTLS13 = requireTLS13
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
///
/// The front decides on ``code`` alone, never on ``message``: a failure the front words differently
/// per API version or per route has a code of its own.
public struct CommandError: Error, Sendable, Codable, Equatable, CustomStringConvertible {
    /// The kind of failure; decides the HTTP status and, for the specific codes, the front's wording.
    public enum Code: String, Sendable, Codable, CaseIterable {
        case badRequest = "bad-request"
        /// Something other than the specific cases below does not exist (an interface, an address).
        case notFound = "not-found"
        /// No haproxy instance (v0.1 listener, 1.0 load balancer) with the id the command names.
        case instanceNotFound = "instance-not-found"
        /// No stored UDP listener with the id the command names.
        case lvsListenerNotFound = "lvs-listener-not-found"
        /// No stored certificate file with the name the command gives.
        case certificateNotFound = "certificate-not-found"
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
