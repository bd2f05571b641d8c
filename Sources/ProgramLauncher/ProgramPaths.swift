import AgentConfig
import IPCProtocol

/// The configured paths the launcher's table uses (absolute; checked by the configuration loader):
/// the haproxy and keepalived binaries, and the base path under which instance files live.
public struct ProgramPaths: Sendable, Codable, Equatable {
    public var haproxy: String
    public var keepalived: String
    public var basePath: String
    /// The certificate directory (`base_cert_dir`): a haproxy check may read its load balancer's subdirectory.
    public var baseCertDir: String
    public init(haproxy: String, keepalived: String, basePath: String, baseCertDir: String = "/var/lib/octavia/certs") {
        self.haproxy = haproxy
        self.keepalived = keepalived
        self.basePath = basePath
        self.baseCertDir = baseCertDir
    }

    /// A load balancer's certificate directory.
    public func certificateDirectory(_ id: ResourceID) -> String { "\(baseCertDir)/\(id)" }

    /// Where the agent keeps its state (every path spelled once, in ``StateLayout``).
    public var layout: StateLayout { StateLayout(basePath: basePath) }

    /// The user/group file passed to every haproxy run, as upstream does.
    public var userGroupFile: String { layout.userGroupFile }

    /// The CA haproxy's built-in HTTP client trusts (the user/group file names it): a copy of the
    /// controller's CA (`agent_server_ca`) the helper writes at start, world-readable, in the state
    /// directory, which the check account may pass through.
    public var httpclientCAFile: String { layout.httpclientCAFile }

    /// An instance's directory.
    public func instanceDirectory(_ id: ResourceID) -> String { layout.instanceDirectory(id) }

    /// An instance's haproxy configuration, or its candidate (`.new`).
    public func haproxyConfig(_ id: ResourceID, candidate: Bool) -> String {
        candidate ? StateLayout.candidate(layout.haproxyConfig(id)) : layout.haproxyConfig(id)
    }

    /// The directory of UDP listener configurations (upstream's `<base_path>/lvs`).
    public var lvsDirectory: String { layout.lvsDirectory }
    /// A UDP listener's keepalived configuration.
    public func lvsConfigFile(_ id: ResourceID) -> String { layout.lvsConfig(id) }
    /// The nftables ruleset of `PUT /1.0/interface/:ip/rules` (upstream: `/var/lib/octavia/nftables-vip.rules`).
    public var nftablesRulesFile: String { layout.nftablesRules }
    /// The masquerade ruleset of the plugged ports (upstream's `lvs-masquerade.sh`, as one file).
    public var masqueradeRulesFile: String { layout.masqueradeRules }
}
