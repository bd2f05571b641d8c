/// How the helper starts and stops the haproxy and keepalived daemons (`[privsep] service_manager`).
public enum ServiceManagerKind: String, Sendable, CaseIterable {
    /// Through `systemctl` and the unit templates (production).
    case systemd
    /// Through the `amphora-agent` parent process (standalone mode: development, tests, CI).
    case direct
}

/// The agent's configuration: the upstream `amphora-agent.conf` keys this agent uses, plus the
/// `[privsep]` section, typed and validated, with upstream defaults.
///
/// Every key of Octavia's `amphora_agent_conf.template` is read (`[DEFAULT]` included); the logging
/// facilities are read from `[haproxy_amphora]`, where the controller writes them, and from
/// `[amphora_agent]`, where upstream's agent reads them (which wins when both are set). Other keys
/// and sections are ignored with one warning each; they are never an error.
///
/// ```
/// let (config, warnings) = try AgentConfiguration.load(path: "/etc/octavia/amphora-agent.conf")
/// for line in warnings { log.warning("\(line)") }
/// ```
public struct AgentConfiguration: Sendable, Equatable {
    // MARK: [DEFAULT]

    /// `[DEFAULT] debug`: log at debug level (oslo's boolean spellings).
    public let debug: Bool
    /// `[DEFAULT] use_syslog`: also send the agent's log lines to the local syslog socket.
    public let useSyslog: Bool
    /// `[DEFAULT] syslog_log_facility`: the facility of those lines; nil when unset (then
    /// `LOG_LOCAL<administrative_log_facility>`, see ``syslogFacility``).
    public let syslogLogFacility: SyslogFacility?

    // MARK: [amphora_agent]

    /// `[amphora_agent] agent_server_ca`: the CA bundle client certificates must chain to.
    public let agentServerCA: String
    /// `[amphora_agent] agent_server_cert`: the server certificate and key, in one PEM file.
    public let agentServerCert: String
    /// `[amphora_agent] amphora_id`: required, a canonical lowercase UUID.
    public let amphoraID: String
    /// `[amphora_agent] agent_request_read_timeout`: seconds, 1-3600.
    public let agentRequestReadTimeout: Int
    /// `[amphora_agent] agent_tls_protocol`: the front's minimum TLS version.
    public let agentTLSProtocol: AgentTLSProtocol
    /// `[amphora_agent] agent_server_network_dir`: accepted and kept; this agent stores its interface
    /// records under `base_path` and writes no interface files.
    public let agentServerNetworkDir: String?
    /// `[amphora_agent] amphora_udp_driver`: upstream's only driver is `keepalived_lvs`, which is what
    /// this agent runs; another value loads with a warning.
    public let amphoraUDPDriver: String

    // MARK: [haproxy_amphora]

    /// `[haproxy_amphora] base_path`: where load balancer directories live.
    public let basePath: String
    /// `[haproxy_amphora] base_cert_dir`: where listener certificates live.
    public let baseCertDir: String
    /// `[haproxy_amphora] bind_host`: the IP literal the API listens on (`::` for all).
    public let bindHost: String
    /// `[haproxy_amphora] bind_port`: the API port, 1-65535.
    public let bindPort: Int
    /// `[haproxy_amphora] haproxy_cmd`: the haproxy binary.
    public let haproxyCmd: String
    /// `user_log_facility`: `LOG_LOCAL<n>` (0-7) of tenant traffic logs (haproxy's, which the
    /// controller's haproxy configuration addresses itself).
    public let userLogFacility: Int
    /// `administrative_log_facility`: `LOG_LOCAL<n>` (0-7) of the amphora's own processes' logs.
    public let administrativeLogFacility: Int

    // MARK: [health_manager]

    /// `[health_manager] controller_ip_port_list`: heartbeat destinations (may be empty).
    public let controllerIPPortList: [ControllerEndpoint]
    /// `[health_manager] heartbeat_interval`: seconds between heartbeats, 1-3600.
    public let heartbeatInterval: Int
    /// `[health_manager] heartbeat_key`: the HMAC key (UTF-8); may be empty. Never logged.
    public let heartbeatKey: String

    // MARK: [controller_worker]

    /// `[controller_worker] loadbalancer_topology`: `SINGLE` or `ACTIVE_STANDBY`.
    public let loadbalancerTopology: String

    // MARK: [privsep]

    /// `[privsep] front_user`: the unprivileged user the front runs as.
    public let frontUser: String
    /// `[privsep] helper_socket`: the helper's unix socket.
    public let helperSocket: String
    /// `[privsep] audit_log`: the helper's JSON-lines audit log.
    public let auditLog: String
    /// `[privsep] audit_log_max_bytes`: the size at which the helper rotates the audit log (the chain
    /// continues in the next file).
    public let auditLogMaxBytes: Int
    /// `[privsep] audit_log_keep`: how many rotated audit log files the helper keeps besides the current one.
    public let auditLogKeep: Int
    /// `[privsep] audit_seal_epoch_records`: the sealing key evolves after this many records...
    public let auditSealEpochRecords: Int
    /// `[privsep] audit_seal_epoch_seconds`: ...or this many seconds after the epoch's first record.
    public let auditSealEpochSeconds: Int
    /// `[privsep] netns`: the network namespace haproxy and keepalived run in.
    public let netns: String
    /// `[privsep] service_manager`: `systemd` or `direct`.
    public let serviceManager: ServiceManagerKind
    /// `[privsep] keepalived_cmd`: the keepalived binary.
    public let keepalivedCmd: String
    /// `[privsep] syslog_socket`: the datagram socket `use_syslog` writes to; empty (the default) picks
    /// ``Defaults/syslogSockets``' first that exists when the process starts.
    public let syslogSocket: String

    /// What the systemd units name (`haproxy@`, `octavia-keepalived`, `octavia-keepalivedlvs@`, the
    /// certificate mount) where this configuration says otherwise: "[section] key is X; the units use
    /// Y" for the first such setting, nil when there is none. Under `service_manager = systemd` the
    /// helper starts no unit then: systemd would run files and programs the helper never checked.
    public var systemdUnitsMismatch: String? {
        let named = [
            ("haproxy_amphora", "base_path", basePath, Defaults.basePath),
            ("haproxy_amphora", "base_cert_dir", baseCertDir, Defaults.baseCertDir),
            ("haproxy_amphora", "haproxy_cmd", haproxyCmd, Defaults.haproxyCmd),
            ("privsep", "keepalived_cmd", keepalivedCmd, Defaults.keepalivedCmd),
            ("privsep", "netns", netns, Defaults.netns),
        ]
        return named.first { $0.2 != $0.3 }.map { "[\($0.0)] \($0.1) is \($0.2); the systemd units use \($0.3)" }
    }

    /// The facility the agent's syslog lines carry when `use_syslog` is on: `syslog_log_facility`
    /// when set, else `LOG_LOCAL<administrative_log_facility>` (what gunicorn uses upstream).
    public var syslogFacility: SyslogFacility {
        syslogLogFacility ?? .local(administrativeLogFacility)
    }

    /// The upstream defaults (and ours for `[privsep]`).
    public enum Defaults {
        /// Where upstream's image keeps the file, and the default of `amphora-agent --config-file`.
        public static let configFile = "/etc/octavia/amphora-agent.conf"
        /// `agent_server_ca`
        public static let agentServerCA = "/etc/octavia/certs/client_ca.pem"
        /// `agent_server_cert`
        public static let agentServerCert = "/etc/octavia/certs/server.pem"
        /// `agent_request_read_timeout`
        public static let agentRequestReadTimeout = 180
        /// `base_path`
        public static let basePath = "/var/lib/octavia"
        /// `base_cert_dir`
        public static let baseCertDir = "/var/lib/octavia/certs"
        /// `bind_host`
        public static let bindHost = "::"
        /// `bind_port`
        public static let bindPort = 9443
        /// `haproxy_cmd`
        public static let haproxyCmd = "/usr/sbin/haproxy"
        /// `controller_ip_port_list`
        public static let controllerIPPortList: [ControllerEndpoint] = []
        /// `heartbeat_interval`
        public static let heartbeatInterval = 10
        /// `heartbeat_key`
        public static let heartbeatKey = ""
        /// `loadbalancer_topology`
        public static let loadbalancerTopology = "SINGLE"
        /// `front_user`
        public static let frontUser = "amphora-front"
        /// `helper_socket`
        public static let helperSocket = "/run/amphora-agent/helper.sock"
        /// `audit_log`
        public static let auditLog = "/var/log/amphora-agent/audit.jsonl"
        /// `audit_log_max_bytes` (32 MiB)
        public static let auditLogMaxBytes = 32 << 20
        /// `audit_log_keep`
        public static let auditLogKeep = 8
        /// `audit_seal_epoch_records`
        public static let auditSealEpochRecords = 1000
        /// `audit_seal_epoch_seconds` (15 minutes, journald's default sealing interval)
        public static let auditSealEpochSeconds = 900
        /// `netns`
        public static let netns = "amphora-haproxy"
        /// `service_manager`
        public static let serviceManager = ServiceManagerKind.systemd
        /// `keepalived_cmd`
        public static let keepalivedCmd = "/usr/sbin/keepalived"
        /// `debug`, `use_syslog`: oslo's defaults.
        public static let debug = false
        public static let useSyslog = false
        /// `user_log_facility`, `administrative_log_facility`: Octavia's defaults.
        public static let userLogFacility = 0
        public static let administrativeLogFacility = 1
        /// `amphora_udp_driver`
        public static let amphoraUDPDriver = "keepalived_lvs"
        /// `syslog_socket`: automatic.
        public static let syslogSocket = ""
        /// The sockets an automatic `syslog_socket` tries, in order: the rsyslog input upstream's
        /// image creates for the amphora's processes (gunicorn and haproxy log there), then the
        /// system's `/dev/log`.
        public static let syslogSockets = ["/run/rsyslog/octavia/log", "/dev/log"]
    }

    /// The values `loadbalancer_topology` accepts.
    public static let loadbalancerTopologies = ["SINGLE", "ACTIVE_STANDBY"]

    /// The longest `helper_socket` path a `sockaddr_un` holds (108 bytes with the NUL).
    public static let maximumSocketPathLength = 107

    /// The longest `helper_socket` path: the helper binds `<path>.new` first and renames it into place.
    public static let maximumHelperSocketPathLength = maximumSocketPathLength - ".new".utf8.count

    /// Every section and key this agent reads, in the order ``rendered()`` writes them.
    public static let knownKeys: [(section: String, keys: [String])] = [
        ("amphora_agent", [
            "agent_server_ca", "agent_server_cert", "amphora_id", "agent_request_read_timeout", "agent_tls_protocol",
            "agent_server_network_dir", "amphora_udp_driver",
        ]),
        ("haproxy_amphora", [
            "base_path", "base_cert_dir", "bind_host", "bind_port", "haproxy_cmd", "user_log_facility",
            "administrative_log_facility",
        ]),
        ("health_manager", ["controller_ip_port_list", "heartbeat_interval", "heartbeat_key"]),
        ("controller_worker", ["loadbalancer_topology"]),
        ("privsep", [
            "front_user", "helper_socket", "audit_log", "netns", "service_manager", "keepalived_cmd", "syslog_socket",
            "audit_log_max_bytes", "audit_log_keep", "audit_seal_epoch_records", "audit_seal_epoch_seconds",
        ]),
        ("DEFAULT", ["debug", "use_syslog", "syslog_log_facility"]),
    ]

    /// Keys also read from a second section: `(section, key)` → the section ``knownKeys`` lists it
    /// in. The alias wins when both are set (upstream's agent reads only the alias).
    public static let aliasedKeys: [(section: String, key: String, canonicalSection: String)] = [
        ("amphora_agent", "user_log_facility", "haproxy_amphora"),
        ("amphora_agent", "administrative_log_facility", "haproxy_amphora"),
    ]

    // MARK: Construction

    /// Builds a configuration from typed values, validated exactly as the file is.
    /// Errors name `source` (default `<arguments>`) and the key as it would appear in the file.
    public init(
        amphoraID: String,
        agentServerCA: String = Defaults.agentServerCA,
        agentServerCert: String = Defaults.agentServerCert,
        agentRequestReadTimeout: Int = Defaults.agentRequestReadTimeout,
        basePath: String = Defaults.basePath,
        baseCertDir: String = Defaults.baseCertDir,
        bindHost: String = Defaults.bindHost,
        bindPort: Int = Defaults.bindPort,
        haproxyCmd: String = Defaults.haproxyCmd,
        controllerIPPortList: [ControllerEndpoint] = Defaults.controllerIPPortList,
        heartbeatInterval: Int = Defaults.heartbeatInterval,
        heartbeatKey: String = Defaults.heartbeatKey,
        loadbalancerTopology: String = Defaults.loadbalancerTopology,
        frontUser: String = Defaults.frontUser,
        helperSocket: String = Defaults.helperSocket,
        auditLog: String = Defaults.auditLog,
        netns: String = Defaults.netns,
        serviceManager: ServiceManagerKind = Defaults.serviceManager,
        keepalivedCmd: String = Defaults.keepalivedCmd,
        debug: Bool = Defaults.debug,
        useSyslog: Bool = Defaults.useSyslog,
        syslogLogFacility: SyslogFacility? = nil,
        userLogFacility: Int = Defaults.userLogFacility,
        administrativeLogFacility: Int = Defaults.administrativeLogFacility,
        agentTLSProtocol: AgentTLSProtocol = .default,
        agentServerNetworkDir: String? = nil,
        amphoraUDPDriver: String = Defaults.amphoraUDPDriver,
        syslogSocket: String = Defaults.syslogSocket,
        auditLogMaxBytes: Int = Defaults.auditLogMaxBytes,
        auditLogKeep: Int = Defaults.auditLogKeep,
        auditSealEpochRecords: Int = Defaults.auditSealEpochRecords,
        auditSealEpochSeconds: Int = Defaults.auditSealEpochSeconds,
        source: String = "<arguments>"
    ) throws(ConfigError) {
        var reader = FieldReader(source: source)
        reader.set("amphora_agent", "agent_server_ca", agentServerCA)
        reader.set("amphora_agent", "agent_server_cert", agentServerCert)
        reader.set("amphora_agent", "amphora_id", amphoraID)
        reader.set("amphora_agent", "agent_request_read_timeout", String(agentRequestReadTimeout))
        reader.set("haproxy_amphora", "base_path", basePath)
        reader.set("haproxy_amphora", "base_cert_dir", baseCertDir)
        reader.set("haproxy_amphora", "bind_host", bindHost)
        reader.set("haproxy_amphora", "bind_port", String(bindPort))
        reader.set("haproxy_amphora", "haproxy_cmd", haproxyCmd)
        reader.set("health_manager", "controller_ip_port_list",
                   controllerIPPortList.map(\.description).joined(separator: ", "))
        reader.set("health_manager", "heartbeat_interval", String(heartbeatInterval))
        reader.set("health_manager", "heartbeat_key", heartbeatKey)
        reader.set("controller_worker", "loadbalancer_topology", loadbalancerTopology)
        reader.set("privsep", "front_user", frontUser)
        reader.set("privsep", "helper_socket", helperSocket)
        reader.set("privsep", "audit_log", auditLog)
        reader.set("privsep", "netns", netns)
        reader.set("privsep", "service_manager", serviceManager.rawValue)
        reader.set("privsep", "keepalived_cmd", keepalivedCmd)
        reader.set("DEFAULT", "debug", debug ? "True" : "False")
        reader.set("DEFAULT", "use_syslog", useSyslog ? "True" : "False")
        if let syslogLogFacility { reader.set("DEFAULT", "syslog_log_facility", syslogLogFacility.description) }
        reader.set("haproxy_amphora", "user_log_facility", String(userLogFacility))
        reader.set("haproxy_amphora", "administrative_log_facility", String(administrativeLogFacility))
        reader.set("amphora_agent", "agent_tls_protocol", agentTLSProtocol.rawValue)
        if let agentServerNetworkDir { reader.set("amphora_agent", "agent_server_network_dir", agentServerNetworkDir) }
        reader.set("amphora_agent", "amphora_udp_driver", amphoraUDPDriver)
        reader.set("privsep", "syslog_socket", syslogSocket)
        reader.set("privsep", "audit_log_max_bytes", String(auditLogMaxBytes))
        reader.set("privsep", "audit_log_keep", String(auditLogKeep))
        reader.set("privsep", "audit_seal_epoch_records", String(auditSealEpochRecords))
        reader.set("privsep", "audit_seal_epoch_seconds", String(auditSealEpochSeconds))
        try self.init(reader: reader)
    }

    /// Reads the configuration from a parsed document; `source` labels errors. Unused keys are
    /// ignored silently here: use ``parse(document:source:)`` to get the warnings.
    public init(document: INIDocument, source: String) throws(ConfigError) {
        var reader = FieldReader(source: source)
        for (section, keys) in Self.knownKeys {
            for key in keys {
                if let entry = document.entry(section, key) {
                    reader.set(section, key, entry.value, line: entry.line)
                }
            }
        }
        for alias in Self.aliasedKeys {
            if let entry = document.entry(alias.section, alias.key) {
                reader.set(alias.canonicalSection, alias.key, entry.value, line: entry.line, readFrom: alias.section)
            }
        }
        try self.init(reader: reader)
    }

    /// Reads the configuration from a parsed document, with one warning line per ignored key
    /// (or per ignored section).
    public static func parse(
        document: INIDocument, source: String
    ) throws(ConfigError) -> (AgentConfiguration, warnings: [String]) {
        let configuration = try AgentConfiguration(document: document, source: source)
        return (configuration, warnings(for: document, source: source))
    }

    /// Parses INI text; `source` labels errors and warnings (normally the file path).
    public static func parse(
        text: String, source: String
    ) throws(ConfigError) -> (AgentConfiguration, warnings: [String]) {
        try parse(document: try INIDocument(parsing: text, source: source), source: source)
    }

    /// Reads and parses the file at `path` (UTF-8, at most ``maximumFileSize`` bytes).
    public static func load(path: String) throws(ConfigError) -> (AgentConfiguration, warnings: [String]) {
        let text: String
        switch ConfigFile.contents(path: path, limit: maximumFileSize) {
        case .success(let contents): text = contents
        case .failure(let failure):
            throw ConfigError(source: path, line: nil, problem: .unreadable(reason: failure.reason))
        }
        return try parse(text: text, source: path)
    }

    /// The largest configuration file ``load(path:)`` accepts.
    public static let maximumFileSize = 1 << 20

    /// The warning lines for keys and sections of `document` this agent does not use, and for the
    /// accepted values it cannot honour as written (`agent_tls_protocol` below TLS 1.2, an
    /// `amphora_udp_driver` other than `keepalived_lvs`).
    public static func warnings(for document: INIDocument, source: String) -> [String] {
        var known: [String: Set<String>] = [:]
        for (section, keys) in knownKeys { known[section] = Set(keys) }
        for alias in aliasedKeys { known[alias.section, default: []].insert(alias.key) }
        var warnings: [String] = []
        if let entry = document.entry("amphora_agent", "agent_tls_protocol"),
            let value = AgentTLSProtocol(rawValue: entry.value), value.isBelowFloor
        {
            warnings.append("config \(source) line \(entry.line): [amphora_agent] agent_tls_protocol = \(value.rawValue)"
                + " is below this agent's minimum; TLSv1.2 is the minimum used")
        }
        if let entry = document.entry("amphora_agent", "amphora_udp_driver"), entry.value != Defaults.amphoraUDPDriver {
            warnings.append("config \(source) line \(entry.line): [amphora_agent] amphora_udp_driver = \(ConfigError.quoted(entry.value))"
                + " is not available; UDP and SCTP listeners run on keepalived_lvs")
        }
        for section in document.orderedSections {
            if let keys = known[section.name] {
                for entry in section.entries where !keys.contains(entry.key) {
                    warnings.append("config \(source) line \(entry.line): [\(section.name)] \(entry.key)"
                        + " is not used by this agent; ignored")
                }
            } else {
                var line = "config \(source) line \(section.line): [\(section.name)] is not used by this agent; ignored"
                if !section.entries.isEmpty {
                    line += " (keys: \(section.entries.map(\.key).joined(separator: ", ")))"
                }
                warnings.append(line)
            }
        }
        return warnings
    }

    private init(reader: FieldReader) throws(ConfigError) {
        let seconds = "is not a number of seconds (1-3600)"
        agentServerCA = try reader.path("amphora_agent", "agent_server_ca", default: Defaults.agentServerCA)
        agentServerCert = try reader.path("amphora_agent", "agent_server_cert", default: Defaults.agentServerCert)
        amphoraID = try reader.text(
            "amphora_agent", "amphora_id", default: nil,
            reason: "is not a canonical lowercase UUID (8-4-4-4-12 hexadecimal digits)",
            valid: Syntax.isCanonicalUUID)
        agentRequestReadTimeout = try reader.integer(
            "amphora_agent", "agent_request_read_timeout", default: Defaults.agentRequestReadTimeout,
            range: 1...3600, reason: seconds)

        basePath = try reader.path("haproxy_amphora", "base_path", default: Defaults.basePath)
        baseCertDir = try reader.path("haproxy_amphora", "base_cert_dir", default: Defaults.baseCertDir)
        bindHost = try reader.text(
            "haproxy_amphora", "bind_host", default: Defaults.bindHost,
            reason: "is not an IP address (an IPv4 or IPv6 literal, without brackets)",
            valid: Syntax.isIPAddress)
        bindPort = try reader.integer(
            "haproxy_amphora", "bind_port", default: Defaults.bindPort,
            range: 1...65535, reason: "is not a port number (1-65535)")
        haproxyCmd = try reader.path("haproxy_amphora", "haproxy_cmd", default: Defaults.haproxyCmd)

        controllerIPPortList = try reader.endpoints("health_manager", "controller_ip_port_list")
        heartbeatInterval = try reader.integer(
            "health_manager", "heartbeat_interval", default: Defaults.heartbeatInterval,
            range: 1...3600, reason: seconds)
        heartbeatKey = try reader.text(
            "health_manager", "heartbeat_key", default: Defaults.heartbeatKey,
            reason: "cannot be written to a config file (carriage return, or an empty or blank-padded"
                + " continuation line)",
            valid: Rendering.isRepresentable)

        loadbalancerTopology = try reader.text(
            "controller_worker", "loadbalancer_topology", default: Defaults.loadbalancerTopology,
            reason: "is not SINGLE or ACTIVE_STANDBY",
            valid: { Self.loadbalancerTopologies.contains($0) })

        frontUser = try reader.text(
            "privsep", "front_user", default: Defaults.frontUser,
            reason: "is not a POSIX user name ([a-z_][a-z0-9_-]{0,31})",
            valid: Syntax.isPOSIXUserName)
        helperSocket = try reader.path("privsep", "helper_socket", default: Defaults.helperSocket)
        if helperSocket.utf8.count > Self.maximumHelperSocketPathLength {
            throw reader.invalid(
                "privsep", "helper_socket", helperSocket,
                reason: "is too long for a unix socket path (at most \(Self.maximumHelperSocketPathLength) bytes)")
        }
        auditLog = try reader.path("privsep", "audit_log", default: Defaults.auditLog)
        auditLogMaxBytes = try reader.integer(
            "privsep", "audit_log_max_bytes", default: Defaults.auditLogMaxBytes, range: (64 << 10)...(1 << 30),
            reason: "is not a size in bytes from 65536 (64 KiB) to 1073741824 (1 GiB)")
        auditLogKeep = try reader.integer(
            "privsep", "audit_log_keep", default: Defaults.auditLogKeep, range: 1...1000, reason: "is not a number of files from 1 to 1000")
        auditSealEpochRecords = try reader.integer(
            "privsep", "audit_seal_epoch_records", default: Defaults.auditSealEpochRecords, range: 1...1_000_000,
            reason: "is not a number of records from 1 to 1000000")
        auditSealEpochSeconds = try reader.integer(
            "privsep", "audit_seal_epoch_seconds", default: Defaults.auditSealEpochSeconds, range: 1...86400,
            reason: "is not a number of seconds from 1 to 86400")
        netns = try reader.text(
            "privsep", "netns", default: Defaults.netns,
            reason: "is not a network namespace name (1-15 characters from [A-Za-z0-9_.-],"
                + " starting with a letter or digit, without ..)",
            valid: Syntax.isNetnsName)
        let manager = try reader.text(
            "privsep", "service_manager", default: Defaults.serviceManager.rawValue,
            reason: "is not systemd or direct",
            valid: { ServiceManagerKind(rawValue: $0) != nil })
        serviceManager = ServiceManagerKind(rawValue: manager) ?? Defaults.serviceManager
        keepalivedCmd = try reader.path("privsep", "keepalived_cmd", default: Defaults.keepalivedCmd)
        syslogSocket = try reader.text(
            "privsep", "syslog_socket", default: Defaults.syslogSocket,
            reason: "is not empty (automatic) or an absolute path of at most \(Self.maximumSocketPathLength) bytes",
            valid: { $0.isEmpty || (Syntax.pathProblem($0) == nil && $0.utf8.count <= Self.maximumSocketPathLength) })

        debug = try reader.boolean("DEFAULT", "debug", default: Defaults.debug)
        useSyslog = try reader.boolean("DEFAULT", "use_syslog", default: Defaults.useSyslog)
        let facility = try reader.text(
            "DEFAULT", "syslog_log_facility", default: "",
            reason: "is not a syslog facility (LOG_USER, LOG_DAEMON, LOG_LOCAL0 ... LOG_LOCAL7 and the like)",
            valid: { SyslogFacility(parsing: $0) != nil })
        syslogLogFacility = SyslogFacility(parsing: facility)
        let local = "is not a LOG_LOCAL facility number (0-7)"
        userLogFacility = try reader.integer(
            "haproxy_amphora", "user_log_facility", default: Defaults.userLogFacility, range: 0...7, reason: local)
        administrativeLogFacility = try reader.integer(
            "haproxy_amphora", "administrative_log_facility", default: Defaults.administrativeLogFacility,
            range: 0...7, reason: local)
        let tls = try reader.text(
            "amphora_agent", "agent_tls_protocol", default: AgentTLSProtocol.default.rawValue,
            reason: "is not one of " + AgentTLSProtocol.allCases.map(\.rawValue).joined(separator: ", "),
            valid: { AgentTLSProtocol(rawValue: $0) != nil })
        agentTLSProtocol = AgentTLSProtocol(rawValue: tls) ?? .default
        agentServerNetworkDir = try reader.optionalPath("amphora_agent", "agent_server_network_dir")
        amphoraUDPDriver = try reader.text(
            "amphora_agent", "amphora_udp_driver", default: Defaults.amphoraUDPDriver,
            reason: "cannot be written to a config file", valid: Rendering.isRepresentable)
    }

    // MARK: Rendering

    /// The configuration as INI text, every known key written out (defaults included), in the
    /// order of ``knownKeys``. Parsing the result gives back an equal configuration, with no
    /// warnings.
    public func rendered() -> String {
        var out = ""
        for (index, (section, keys)) in Self.knownKeys.enumerated() {
            if index > 0 { out += "\n" }
            out += "[\(section)]\n"
            for key in keys {
                // Only the optional keys without a value have none.
                guard let value = renderedValue(forKey: key) else { continue }
                out += Rendering.assignment(key, value) + "\n"
            }
        }
        return out
    }

    /// The value of `key` (a key of ``knownKeys``; key names are unique across sections) as the
    /// file writes it, or nil for a key this agent does not read or an optional key that is unset.
    public func renderedValue(forKey key: String) -> String? {
        switch key {
        case "syslog_log_facility": return syslogLogFacility?.description
        case "agent_server_network_dir": return agentServerNetworkDir
        default: break
        }
        let values: [String: String] = [
            "debug": debug ? "True" : "False",
            "use_syslog": useSyslog ? "True" : "False",
            "user_log_facility": String(userLogFacility),
            "administrative_log_facility": String(administrativeLogFacility),
            "agent_tls_protocol": agentTLSProtocol.rawValue,
            "amphora_udp_driver": amphoraUDPDriver,
            "syslog_socket": syslogSocket,
            "agent_server_ca": agentServerCA,
            "agent_server_cert": agentServerCert,
            "amphora_id": amphoraID,
            "agent_request_read_timeout": String(agentRequestReadTimeout),
            "base_path": basePath,
            "base_cert_dir": baseCertDir,
            "bind_host": bindHost,
            "bind_port": String(bindPort),
            "haproxy_cmd": haproxyCmd,
            "controller_ip_port_list": controllerIPPortList.map(\.description).joined(separator: ", "),
            "heartbeat_interval": String(heartbeatInterval),
            "heartbeat_key": heartbeatKey,
            "loadbalancer_topology": loadbalancerTopology,
            "front_user": frontUser,
            "helper_socket": helperSocket,
            "audit_log": auditLog,
            "audit_log_max_bytes": String(auditLogMaxBytes),
            "audit_log_keep": String(auditLogKeep),
            "audit_seal_epoch_records": String(auditSealEpochRecords),
            "audit_seal_epoch_seconds": String(auditSealEpochSeconds),
            "netns": netns,
            "service_manager": serviceManager.rawValue,
            "keepalived_cmd": keepalivedCmd,
        ]
        return values[key]
    }
}

/// Collects raw values (from a document or from typed arguments) and converts them, throwing
/// errors that name the section, key, value and line.
private struct FieldReader {
    struct Raw {
        let value: String
        let line: Int?
        /// The section the value was read from when it is an alias's (``AgentConfiguration/aliasedKeys``).
        var section: String?
    }

    let source: String
    private var values: [String: Raw] = [:]

    init(source: String) {
        self.source = source
    }

    mutating func set(_ section: String, _ key: String, _ value: String, line: Int? = nil, readFrom: String? = nil) {
        values["\(section)\u{0}\(key)"] = Raw(value: value, line: line, section: readFrom)
    }

    func raw(_ section: String, _ key: String) -> Raw? {
        values["\(section)\u{0}\(key)"]
    }

    func invalid(_ section: String, _ key: String, _ value: String, reason: String) -> ConfigError {
        ConfigError(
            source: source, line: raw(section, key)?.line,
            problem: .invalidValue(section: raw(section, key)?.section ?? section, key: key, value: value, reason: reason))
    }

    /// oslo.config's boolean spellings: true/false, yes/no, on/off, 1/0, in any case.
    func boolean(_ section: String, _ key: String, default fallback: Bool) throws(ConfigError) -> Bool {
        guard let raw = raw(section, key) else { return fallback }
        switch raw.value.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default: throw invalid(section, key, raw.value, reason: "is not a boolean (true/false, yes/no, on/off, 1/0)")
        }
    }

    /// An absolute path, or nil when the key is absent.
    func optionalPath(_ section: String, _ key: String) throws(ConfigError) -> String? {
        guard raw(section, key) != nil else { return nil }
        return try path(section, key, default: "")
    }

    /// A string that must pass `valid`; `default: nil` makes the key required.
    func text(
        _ section: String, _ key: String, default fallback: String?, reason: String,
        valid: (String) -> Bool
    ) throws(ConfigError) -> String {
        guard let raw = raw(section, key) else {
            guard let fallback else {
                throw ConfigError(source: source, line: nil, problem: .missingKey(section: section, key: key))
            }
            return fallback
        }
        guard valid(raw.value) else { throw invalid(section, key, raw.value, reason: reason) }
        return raw.value
    }

    func path(_ section: String, _ key: String, default fallback: String) throws(ConfigError) -> String {
        guard let raw = raw(section, key) else { return fallback }
        if let problem = Syntax.pathProblem(raw.value) { throw invalid(section, key, raw.value, reason: problem) }
        return raw.value
    }

    func integer(
        _ section: String, _ key: String, default fallback: Int, range: ClosedRange<Int>, reason: String
    ) throws(ConfigError) -> Int {
        guard let raw = raw(section, key) else { return fallback }
        guard let number = Syntax.decimal(raw.value), range.contains(number) else {
            throw invalid(section, key, raw.value, reason: reason)
        }
        return number
    }

    func endpoints(_ section: String, _ key: String) throws(ConfigError) -> [ControllerEndpoint] {
        guard let raw = raw(section, key) else { return [] }
        switch ControllerEndpoint.parseList(raw.value) {
        case .success(let list):
            return list
        case .failure(let item):
            throw invalid(section, key, item.text, reason: "is not ip:port, [ipv6]:port or hostname:port (port 1-65535)")
        }
    }
}

/// Writing values so that ``INIDocument`` reads them back unchanged.
enum Rendering {
    private static func isBlank(_ scalar: Unicode.Scalar?) -> Bool {
        scalar?.properties.isWhitespace ?? false
    }

    /// Whether ``assignment(_:_:)`` can write `value` so that it reads back the same: no carriage
    /// return, and every line after the first non-empty and without surrounding blanks (the
    /// parser trims continuation lines and ends a value at a blank line).
    static func isRepresentable(_ value: String) -> Bool {
        let scalars = Array(value.unicodeScalars)
        guard !scalars.contains("\r") else { return false }
        let lines = scalars.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.dropFirst().allSatisfy { line in
            !line.isEmpty && !isBlank(line.first) && !isBlank(line.last)
        }
    }

    /// `key = value`; a first line with surrounding blanks, or wrapped in a matching pair of
    /// quotes, is wrapped in double quotes (the parser removes one pair); further lines become
    /// indented continuation lines.
    static func assignment(_ key: String, _ value: String) -> String {
        let lines = Array(value.unicodeScalars).split(separator: "\n", omittingEmptySubsequences: false)
        let first = lines.first ?? []
        var text = key + " ="
        if let head = first.first, let tail = first.last {
            let quoted = (head == "\"" || head == "'") && tail == head
            let body = Scalars.string(first)
            text += (quoted || isBlank(head) || isBlank(tail)) ? " \"\(body)\"" : " \(body)"
        }
        for line in lines.dropFirst() {
            text += "\n    " + Scalars.string(line)
        }
        return text
    }
}
