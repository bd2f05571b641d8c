/// The configuration keys that decide whom the agent trusts and what runs as root: fixed when the
/// amphora is deployed, never changed by the controller (`PUT /1.0/config`).
///
/// An uploaded configuration may repeat a constant's running value (Octavia's template renders
/// `agent_server_ca`, `agent_server_cert`, `base_path`, `base_cert_dir` and `haproxy_cmd` from the
/// controller's own settings) or leave the key out (the controller's template has no `[privsep]`
/// section); either way the stored file keeps the running value. An upload that sets another value
/// is refused, naming the key. Values are compared as parsed (quoting and blanks do not matter; paths
/// are compared after dropping repeated `/`, `.` components and a trailing `/`), byte for byte.
///
/// What the controller may still change: `bind_host`, `bind_port`, `agent_request_read_timeout`,
/// `controller_ip_port_list`, `heartbeat_interval`, `heartbeat_key` and `loadbalancer_topology`
/// (`amphora_id` must stay this amphora's), and the keys its template renders from its own
/// settings that decide neither trust nor what runs as root: `debug`, `use_syslog`,
/// `syslog_log_facility`, the two log facilities (which facility the agent's lines carry),
/// `agent_tls_protocol` (the front never goes below TLS 1.2 whatever it says, and a controller that
/// raises it to TLS 1.3 only constrains its own client), `agent_server_network_dir` and
/// `amphora_udp_driver` (read, not acted on). Where the syslog lines go (`[privsep] syslog_socket`)
/// is a constant.
///
/// ```
/// let (text, configuration, warnings) = try DeploymentConstants.apply(to: upload, running: running, source: "(uploaded)")
/// ```
public enum DeploymentConstants {
    /// The constant keys, in the order of ``AgentConfiguration/knownKeys``.
    ///
    /// * `agent_server_ca`: the CA client certificates must chain to (the system bundle would let
    ///   any public certificate in).
    /// * `agent_server_cert`: the server identity the front presents.
    /// * `base_path`, `base_cert_dir`: where the helper (root) writes configurations and keys.
    /// * `haproxy_cmd`, `keepalived_cmd`: the programs the launcher runs as root.
    /// * every `[privsep]` key: the front's user, the helper socket, the audit log (a new path would
    ///   start a new chain from zero), the namespace, the service manager and the syslog socket (an
    ///   upload must not point the agent's log lines at another socket of the amphora).
    public static let keys: [(section: String, key: String)] = [
        ("amphora_agent", "agent_server_ca"), ("amphora_agent", "agent_server_cert"),
        ("haproxy_amphora", "base_path"), ("haproxy_amphora", "base_cert_dir"), ("haproxy_amphora", "haproxy_cmd"),
        ("privsep", "front_user"), ("privsep", "helper_socket"), ("privsep", "audit_log"), ("privsep", "netns"),
        ("privsep", "service_manager"), ("privsep", "keepalived_cmd"), ("privsep", "syslog_socket"),
        ("privsep", "audit_log_max_bytes"), ("privsep", "audit_log_keep"), ("privsep", "audit_seal_epoch_records"),
        ("privsep", "audit_seal_epoch_seconds"),
    ]

    /// Keys whose value is a path, compared after ``normalizedPath(_:)``.
    static let pathKeys: Set<String> = [
        "agent_server_ca", "agent_server_cert", "base_path", "base_cert_dir", "haproxy_cmd", "helper_socket", "audit_log",
        "keepalived_cmd", "syslog_socket",
    ]

    /// Whether `a` and `b` give `key` the same meaning: the parsed values, byte for byte, with
    /// paths lexically normalised (``normalizedPath(_:)``). Never `String ==`, which would call
    /// two different file names equal when they are canonically equivalent Unicode.
    public static func sameValue(forKey key: String, _ a: AgentConfiguration, _ b: AgentConfiguration) -> Bool {
        guard let left = a.renderedValue(forKey: key), let right = b.renderedValue(forKey: key) else { return false }
        if pathKeys.contains(key) { return normalizedPath(left).utf8.elementsEqual(normalizedPath(right).utf8) }
        return left.utf8.elementsEqual(right.utf8)
    }

    /// An absolute path without repeated `/`, `.` components or a trailing `/` (`/var//lib/./octavia/`
    /// → `/var/lib/octavia`). Purely lexical; the configuration already refuses `..` components.
    static func normalizedPath(_ path: String) -> String {
        let components = path.utf8.split(separator: UInt8(ascii: "/")).filter { !$0.elementsEqual(".".utf8) }
        return "/" + components.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "/")
    }

    /// The text to store for an uploaded configuration, the configuration it gives and its warnings.
    ///
    /// Every constant the upload leaves out, or spells differently with the same meaning, is
    /// appended at the end with its running value (a section may appear again; the last assignment
    /// of a key wins), so the stored file reads back with exactly the running values. A constant
    /// set to another value is refused with a ``ConfigError`` naming its section, key, value and
    /// line. Other errors are those of ``AgentConfiguration/parse(text:source:)``.
    public static func apply(
        to upload: String, running: AgentConfiguration, source: String
    ) throws(ConfigError) -> (text: String, configuration: AgentConfiguration, warnings: [String]) {
        let document = try INIDocument(parsing: upload, source: source)
        let omitted = keys.filter { document.entry($0.section, $0.key) == nil }
        var text = upload
        append(omitted, of: running, to: &text)
        var (configuration, warnings) = try AgentConfiguration.parse(text: text, source: source)

        for (section, key) in keys where !sameValue(forKey: key, configuration, running) {
            let entry = document.entry(section, key)
            throw ConfigError(
                source: source, line: entry?.line,
                problem: .invalidValue(
                    section: section, key: key, value: entry?.value ?? configuration.renderedValue(forKey: key) ?? "",
                    reason: "is fixed at deployment and differs from the running value; an upload may repeat the running"
                        + " value or leave the key out"))
        }

        let respelled = keys.filter { constant in
            guard let uploaded = configuration.renderedValue(forKey: constant.key),
                let current = running.renderedValue(forKey: constant.key)
            else { return true }
            return !uploaded.utf8.elementsEqual(current.utf8)
        }
        if !respelled.isEmpty {
            append(respelled, of: running, to: &text)
            (configuration, warnings) = try AgentConfiguration.parse(text: text, source: source)
        }
        for (section, key) in keys {
            guard let stored = configuration.renderedValue(forKey: key), let current = running.renderedValue(forKey: key),
                stored.utf8.elementsEqual(current.utf8)
            else {
                // Cannot happen: the appended assignment is the key's last one.
                throw ConfigError(
                    source: source, line: nil,
                    problem: .invalidValue(section: section, key: key, value: "", reason: "could not be kept at its running value"))
            }
        }
        return (text, configuration, warnings)
    }

    /// Appends `[section]` blocks assigning `constants` their values in `configuration`, after a
    /// blank line (which ends any continued value of the text before).
    static func append(_ constants: [(section: String, key: String)], of configuration: AgentConfiguration, to text: inout String) {
        guard !constants.isEmpty else { return }
        if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
        var section: String?
        for constant in constants {
            if constant.section != section {
                text += "\n[\(constant.section)]\n"
                section = constant.section
            }
            text += Rendering.assignment(constant.key, configuration.renderedValue(forKey: constant.key) ?? "") + "\n"
        }
    }
}
