import IPCProtocol

/// A program the launcher may execute. The table is compiled in; only `haproxy` and `keepalived`
/// take their path from the root-owned agent configuration (`haproxy_cmd`, `keepalived_cmd`).
public enum Program: String, Sendable, Codable, CaseIterable {
    case dpkgQuery = "dpkg-query"
    case haproxy
    case keepalived
    case ip
    case systemctl

    /// Where the program is looked for, in order (first existing path wins).
    func candidatePaths(_ paths: ProgramPaths) -> [String] {
        switch self {
        case .dpkgQuery: return ["/usr/bin/dpkg-query"]
        case .haproxy: return [paths.haproxy]
        case .keepalived: return [paths.keepalived]
        case .ip: return ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"]
        case .systemctl: return ["/usr/bin/systemctl", "/bin/systemctl"]
        }
    }
}

/// The configured paths the launcher's table uses (absolute; checked by the configuration loader):
/// the haproxy and keepalived binaries, and the base path under which instance files live.
public struct ProgramPaths: Sendable, Codable, Equatable {
    public var haproxy: String
    public var keepalived: String
    public var basePath: String
    public init(haproxy: String, keepalived: String, basePath: String) {
        self.haproxy = haproxy
        self.keepalived = keepalived
        self.basePath = basePath
    }

    /// The user/group file passed to every haproxy run, as upstream does.
    public var userGroupFile: String { basePath + "/haproxy-default-user-group.conf" }

    /// An instance's directory.
    public func instanceDirectory(_ id: ResourceID) -> String { "\(basePath)/\(id)" }
}

/// Debian packages whose versions the agent reports.
public enum DebianPackage: String, Sendable, Codable, CaseIterable {
    case haproxy, keepalived, ipvsadm
}

/// The closed set of commands the launcher executes, each with a fixed argument shape built from
/// validated values. There is no shell and no free-form argv anywhere.
public enum LaunchCommand: Sendable, Codable, Equatable {
    /// `dpkg-query -W -f=${Version} -- PACKAGE`
    case packageVersion(DebianPackage)
    /// `haproxy -c -L PEER -f <base>/<id>/haproxy.cfg[.new] -f <base>/haproxy-default-user-group.conf`
    case haproxyCheck(instance: ResourceID, amphora: ResourceID, candidate: Bool)
    /// `systemctl start|stop|reload|is-active <unit>`
    case systemctl(DaemonOperation, DaemonUnit)
    /// `ip netns add NAME` (direct mode creates the amphora namespace when missing)
    case netnsAdd(InterfaceName)
    /// `ip -n NAME link set dev lo up`
    case loopbackUp(netns: InterfaceName)

    /// The program this command runs.
    public var program: Program {
        switch self {
        case .packageVersion: return .dpkgQuery
        case .haproxyCheck: return .haproxy
        case .systemctl: return .systemctl
        case .netnsAdd, .loopbackUp: return .ip
        }
    }

    /// The arguments after argv[0], rendered from typed values and the configured paths.
    public func arguments(_ paths: ProgramPaths) -> [String] {
        switch self {
        case .packageVersion(let package):
            return ["-W", "-f=${Version}", "--", package.rawValue]
        case .haproxyCheck(let instance, let amphora, let candidate):
            let config = paths.instanceDirectory(instance) + (candidate ? "/haproxy.cfg.new" : "/haproxy.cfg")
            return ["-c", "-L", HAProxyConfigText.peerName(forAmphora: amphora), "-f", config, "-f", paths.userGroupFile]
        case .systemctl(let operation, let unit):
            return [operation == .status ? "is-active" : operation.rawValue, "--", unit.systemdName]
        case .netnsAdd(let name):
            return ["netns", "add", name.description]
        case .loopbackUp(let netns):
            return ["-n", netns.description, "link", "set", "dev", "lo", "up"]
        }
    }

    /// A short name for the audit log.
    public var name: String {
        switch self {
        case .packageVersion: return "package-version"
        case .haproxyCheck: return "haproxy-check"
        case .systemctl: return "systemctl"
        case .netnsAdd: return "netns-add"
        case .loopbackUp: return "loopback-up"
        }
    }

    /// Rejects a command whose rendered arguments break the launcher's own grammar (validate twice):
    /// every argument is printable ASCII without newlines, and no value argument after `--` starts with `-`.
    public func checkArguments(_ paths: ProgramPaths) throws(CommandError) {
        var afterSeparator = false
        for argument in arguments(paths) {
            guard !argument.isEmpty, argument.utf8.count <= 4096,
                argument.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F })
            else { throw CommandError(.badRequest, "argument refused by the launcher's grammar") }
            if afterSeparator, argument.hasPrefix("-") {
                throw CommandError(.badRequest, "option-like value refused by the launcher's grammar")
            }
            if argument == "--" { afterSeparator = true }
        }
    }
}

/// Sent from the helper to a launcher.
struct LaunchRequest: Sendable, Codable {
    let id: UInt64
    let command: LaunchCommand
    let deadlineMilliseconds: Int
}

/// What a launcher reports about one execution.
public struct LaunchResult: Sendable, Codable, Equatable {
    public var id: UInt64
    /// The exact argv executed (argv[0] is the resolved program path); empty when refused.
    public var argv: [String]
    public var exitCode: Int32?
    public var signal: Int32?
    public var timedOut: Bool
    public var stdout: String
    public var stderr: String
    public var outputTruncated: Bool
    public var durationMicroseconds: UInt64
    /// Set when the launcher refused to execute (unknown program, grammar, spawn failure).
    public var refusal: String?

    public var succeeded: Bool { refusal == nil && !timedOut && exitCode == 0 }

    /// stdout and stderr together, as an operator reads a tool's complaint.
    public var combinedOutput: String {
        [stdout, stderr].filter { !$0.isEmpty }.joined(separator: stdout.hasSuffix("\n") ? "" : "\n")
    }
}
