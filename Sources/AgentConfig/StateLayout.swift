/// Every file of the agent's state under `base_path`, spelled once: the helper stores and reads
/// them, the supervisor starts daemons on them, and both take the names from here (this module
/// needs nothing else, so the supervisor does not import the helper for it).
///
/// ```
/// <base_path>/
///   <id>/haproxy.cfg[.new|.new-failed|.checked]  amphora-id  haproxy.env  servers-state  haproxy.log  <id>.pid
///   <id>.sock                                     the stats socket the policy forces
///   haproxy-default-user-group.conf  haproxy-httpclient-ca.pem  keepalived.env (LOG_FACILITY for the systemd keepalived units)
///   vrrp/octavia-keepalived.conf[.new|.new-failed]  check_script.sh  keepalived.log  keepalived.pid  vrrp.pid  checkers.pid
///   lvs/octavia-keepalivedlvs-<id>.conf[.new|.new-failed]  .pid  .vrrp.pid  .check.pid  .log   lvs/check/udp_check.sh
///   topology.json  plugged_interfaces.json  nftables-vip.rules  nftables-masquerade.rules  stats_counters.json  package-versions.json
/// ```
///
/// Names (`…Name`, `…File`) are relative to the directory that holds them, for code that works on
/// directory descriptors; the instance methods give absolute paths.
public struct StateLayout: Sendable, Equatable {
    public let basePath: String

    public init(basePath: String) {
        self.basePath = basePath
    }

    // MARK: - Candidate files

    /// The candidate a new configuration is written to before its check.
    public static func candidate(_ name: String) -> String { name + ".new" }
    /// A candidate that failed its check, kept for the operator.
    public static func failed(_ name: String) -> String { name + ".new-failed" }

    // MARK: - haproxy

    /// The files of one haproxy instance, inside its directory.
    public enum HAProxyFile {
        public static let config = "haproxy.cfg"
        /// The SHA-256 of the last configuration `haproxy -c` accepted.
        public static let checkedDigest = "haproxy.cfg.checked"
        public static let amphoraID = "amphora-id"
        /// systemd's `haproxy@.service` reads haproxy's peer name (`-L`) from here.
        public static let environment = "haproxy.env"
        public static let serversState = "servers-state"
        public static let log = "haproxy.log"
    }

    /// An instance's directory name under `base_path`.
    public static func instanceDirectoryName(_ id: some CustomStringConvertible) -> String { id.description }
    /// An instance's stats socket name under `base_path`.
    public static func statsSocketName(_ id: some CustomStringConvertible) -> String { "\(id).sock" }

    public func instanceDirectory(_ id: some CustomStringConvertible) -> String { "\(basePath)/\(id)" }
    public func haproxyConfig(_ id: some CustomStringConvertible) -> String { instanceDirectory(id) + "/" + HAProxyFile.config }
    public func haproxyLog(_ id: some CustomStringConvertible) -> String { instanceDirectory(id) + "/" + HAProxyFile.log }
    public func haproxyPIDFile(_ id: some CustomStringConvertible) -> String { instanceDirectory(id) + "/\(id).pid" }
    public func serversState(_ id: some CustomStringConvertible) -> String { instanceDirectory(id) + "/" + HAProxyFile.serversState }
    /// The instance's stats socket: always this path (the policy forces it), never one read from a stored file.
    public func statsSocket(_ id: some CustomStringConvertible) -> String { basePath + "/" + Self.statsSocketName(id) }

    /// The user/group file passed to every haproxy run, as upstream does.
    public static let userGroupFileName = "haproxy-default-user-group.conf"
    public var userGroupFile: String { basePath + "/" + Self.userGroupFileName }
    /// The CA the user/group file names for haproxy's built-in HTTP client: here, not on the
    /// certificate tmpfs, because haproxy units enabled before a reboot start before the helper
    /// writes anything, and haproxy refuses a configuration naming a CA it cannot load.
    public static let httpclientCAFileName = "haproxy-httpclient-ca.pem"
    public var httpclientCAFile: String { basePath + "/" + Self.httpclientCAFileName }

    // MARK: - VRRP keepalived

    public static let vrrpDirectoryName = "vrrp"

    /// The files of the amphora's VRRP keepalived, inside `vrrp/`.
    public enum VRRPFile {
        public static let config = "octavia-keepalived.conf"
        /// The agent's own health check keepalived runs.
        public static let checkScript = "check_script.sh"
        public static let log = "keepalived.log"
        public static let pid = "keepalived.pid"
        public static let vrrpPID = "vrrp.pid"
        public static let checkersPID = "checkers.pid"
    }

    public var vrrpDirectory: String { basePath + "/" + Self.vrrpDirectoryName }
    public func vrrpFile(_ name: String) -> String { vrrpDirectory + "/" + name }

    // MARK: - LVS (UDP listeners)

    public static let lvsDirectoryName = "lvs"
    /// What every file of a UDP listener's keepalived starts with.
    public static let lvsPrefix = "octavia-keepalivedlvs-"
    /// A listener's file stem inside `lvs/`: `octavia-keepalivedlvs-<id>` (`.conf`, `.pid`, `.vrrp.pid`, `.check.pid`, `.log`).
    public static func lvsStem(_ id: some CustomStringConvertible) -> String { lvsPrefix + id.description }
    public static func lvsConfigName(_ id: some CustomStringConvertible) -> String { lvsStem(id) + ".conf" }
    /// The files of a listener besides its configuration (and its candidates), by suffix of its stem.
    public static let lvsRuntimeSuffixes = [".pid", ".vrrp.pid", ".check.pid", ".log"]
    /// The directory of the agent's UDP check script, inside `lvs/`.
    public static let lvsCheckDirectoryName = "check"
    public static let lvsCheckScriptName = "udp_check.sh"

    public var lvsDirectory: String { basePath + "/" + Self.lvsDirectoryName }
    public func lvsFile(_ name: String) -> String { lvsDirectory + "/" + name }
    public func lvsConfig(_ id: some CustomStringConvertible) -> String { lvsFile(Self.lvsConfigName(id)) }

    // MARK: - Records

    /// The topology and its role (ACTIVE-STANDBY), which survive restarts.
    public static let topologyFile = "topology.json"
    /// The plugged ports, replayed after a restart.
    public static let pluggedInterfacesFile = "plugged_interfaces.json"
    /// The nftables ruleset of `PUT /1.0/interface/:ip/rules` and of SR-IOV ports.
    public static let nftablesRulesFile = "nftables-vip.rules"
    /// The masquerade and TCP notrack ruleset of the plugged ports (upstream's `lvs-masquerade.sh`).
    public static let masqueradeRulesFile = "nftables-masquerade.rules"
    /// The heartbeat's counters of the last report (deltas survive restarts).
    public static let heartbeatCountersFile = "stats_counters.json"

    public var nftablesRules: String { basePath + "/" + Self.nftablesRulesFile }
    public var masqueradeRules: String { basePath + "/" + Self.masqueradeRulesFile }
}
