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

    /// The user/group file passed to every haproxy run, as upstream does.
    public var userGroupFile: String { basePath + "/haproxy-default-user-group.conf" }

    /// An instance's directory.
    public func instanceDirectory(_ id: ResourceID) -> String { "\(basePath)/\(id)" }

    /// The directory of UDP listener configurations (upstream's `<base_path>/lvs`).
    public var lvsDirectory: String { basePath + "/" + Self.lvsDirectoryName }
    /// A UDP listener's keepalived configuration.
    public func lvsConfigFile(_ id: ResourceID) -> String { lvsDirectory + "/" + Self.lvsConfigName(id) }
    /// The nftables ruleset of `PUT /1.0/interface/:ip/rules` (upstream: `/var/lib/octavia/nftables-vip.rules`).
    public var nftablesRulesFile: String { basePath + "/" + Self.nftablesRulesFileName }

    /// The name of the UDP listener directory under the base path.
    public static let lvsDirectoryName = "lvs"
    /// The prefix of a UDP listener's configuration file name.
    public static let lvsConfigPrefix = "octavia-keepalivedlvs-"
    /// A UDP listener's configuration file name.
    public static func lvsConfigName(_ id: ResourceID) -> String { "\(lvsConfigPrefix)\(id).conf" }
    /// The name of the nftables ruleset file under the base path.
    public static let nftablesRulesFileName = "nftables-vip.rules"
}
