import IPCProtocol

/// A program the launcher may execute. The table is compiled in; only `haproxy` and `keepalived`
/// take their path from the root-owned agent configuration (`haproxy_cmd`, `keepalived_cmd`).
public enum Program: String, Sendable, Codable, CaseIterable {
    case dpkgQuery = "dpkg-query"
    case haproxy
    case keepalived
    case ip
    case systemctl
    case arping
    case nft
    /// `na6` from ipv6toolkit: unsolicited neighbour advertisements.
    case na6

    /// Where the program is looked for, in order (first existing path wins).
    func candidatePaths(_ paths: ProgramPaths) -> [String] {
        switch self {
        case .dpkgQuery: return ["/usr/bin/dpkg-query"]
        case .haproxy: return [paths.haproxy]
        case .keepalived: return [paths.keepalived]
        case .ip: return ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"]
        case .systemctl: return ["/usr/bin/systemctl", "/bin/systemctl"]
        case .arping: return ["/usr/bin/arping", "/usr/sbin/arping"]
        case .na6: return ["/usr/sbin/na6", "/usr/bin/na6"]
        case .nft: return ["/usr/sbin/nft", "/sbin/nft"]
        }
    }
}

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
    /// `ip link set dev lo up` inside the amphora namespace
    case loopbackUp(netns: InterfaceName)
    /// One typed `ip` operation (see ``IPCommand`` for the shapes).
    case ip(IPCommand)
    /// `keepalived --config-test -f <base>/vrrp/octavia-keepalived.conf[.new]`, run inside the amphora
    /// namespace (the test checks that the configured interfaces exist).
    case keepalivedCheck(netns: InterfaceName, candidate: Bool)
    /// `arping -U -c 2 -w 2 -I IFACE IP`, executed inside the amphora namespace: gratuitous ARP.
    case gratuitousARP(netns: InterfaceName, interface: InterfaceName, address: IPAddress)
    /// `na6 -i IFACE -s IP -d ff02::1 -t IP -o -e`, inside the amphora namespace: an unsolicited
    /// neighbour advertisement (override flag, our link-layer address) for an IPv6 address.
    case unsolicitedNA(netns: InterfaceName, interface: InterfaceName, address: IPAddress)
    /// `nft -o -f <base>/nftables-vip.rules`, executed inside the amphora namespace (the helper writes the file, 0600).
    case nftLoad(netns: InterfaceName)
    /// `keepalived --config-test -f <base>/lvs/octavia-keepalivedlvs-<id>.conf[.new]`
    case keepalivedLVSCheck(listener: ResourceID, candidate: Bool)

    /// The program this command runs.
    public var program: Program {
        switch self {
        case .packageVersion: return .dpkgQuery
        case .haproxyCheck: return .haproxy
        case .systemctl: return .systemctl
        case .loopbackUp, .ip: return .ip
        case .gratuitousARP: return .arping
        case .unsolicitedNA: return .na6
        case .nftLoad: return .nft
        case .keepalivedLVSCheck, .keepalivedCheck: return .keepalived
        }
    }

    /// The network namespace the launcher enters before executing (only for programs without a
    /// namespace option of their own).
    public var namespace: InterfaceName? {
        if case .gratuitousARP(let netns, _, _) = self { return netns }
        if case .unsolicitedNA(let netns, _, _) = self { return netns }
        if case .nftLoad(let netns) = self { return netns }
        if case .keepalivedCheck(let netns, _) = self { return netns }
        if case .loopbackUp(let netns) = self { return netns }
        if case .ip(let command) = self { return command.namespace }
        return nil
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
        case .loopbackUp:
            return ["link", "set", "dev", "lo", "up"]
        case .ip(let command):
            return command.arguments
        case .gratuitousARP(_, let interface, let address):
            return ["-U", "-c", "2", "-w", "2", "-I", interface.description, address.description]
        case .unsolicitedNA(_, let interface, let address):
            return ["-i", interface.description, "-s", address.description, "-d", "ff02::1", "-t", address.description, "-o", "-e"]
        case .nftLoad:
            return ["-o", "-f", paths.nftablesRulesFile]
        case .keepalivedLVSCheck(let listener, let candidate):
            return ["--config-test", "-f", paths.lvsConfigFile(listener) + (candidate ? ".new" : "")]
        case .keepalivedCheck(_, let candidate):
            return ["--config-test", "-f", paths.basePath + "/vrrp/octavia-keepalived.conf" + (candidate ? ".new" : "")]
        }
    }

    /// Which launchers may run this command (see ``LaunchLane``).
    public var lane: LaunchLane {
        switch self {
        case .haproxyCheck, .keepalivedCheck, .keepalivedLVSCheck: return .check
        case .packageVersion, .systemctl(.status, _), .ip(.listLinks), .ip(.listAddresses): return .query
        default: return .action
        }
    }

    /// Whether this command parses text the controller sent: it then reads its inputs from sealed
    /// copies and runs under a read-only Landlock domain (see ``LauncherProcess``).
    public var isConfigurationCheck: Bool { lane == .check }

    /// Whether the check also runs as ``CheckAccount``, with no capabilities: `haproxy -c` (which
    /// loads Lua at check time). `keepalived --config-test` cannot: unprivileged, it fails to enter
    /// the `net_namespace` an LVS configuration names and then exits 0 without checking anything
    /// (fail-open), and it reports the agent's own root-run VRRP check script as insecure (exit 5);
    /// it stays root, read-only under Landlock, with no program to execute.
    public var runsAsCheckAccount: Bool {
        if case .haproxyCheck = self { return true }
        return false
    }

    /// The files a check reads that only root may open: the launcher reads each (as root) into a
    /// sealed memory file and hands it to the check as `/dev/fd/N` in place of the path.
    public func checkInputs(_ paths: ProgramPaths) -> [String] {
        switch self {
        case .haproxyCheck(let instance, _, let candidate):
            return [paths.instanceDirectory(instance) + (candidate ? "/haproxy.cfg.new" : "/haproxy.cfg"), paths.userGroupFile]
        case .keepalivedLVSCheck(let listener, let candidate):
            return [paths.lvsConfigFile(listener) + (candidate ? ".new" : "")]
        case .keepalivedCheck(_, let candidate):
            return [paths.basePath + "/vrrp/octavia-keepalived.conf" + (candidate ? ".new" : "")]
        default:
            return []
        }
    }

    /// Directories a check may read besides the system's (Landlock, read-only): a haproxy check
    /// reads the certificates its configuration names, in that load balancer's certificate directory;
    /// keepalived opens the `net_namespace` an LVS configuration names in /run/netns (and, denied
    /// that, exits 0 without checking anything).
    public func checkReadDirectories(_ paths: ProgramPaths) -> [String] {
        switch self {
        case .haproxyCheck(let instance, _, _): return [paths.certificateDirectory(instance)]
        case .keepalivedCheck, .keepalivedLVSCheck: return ["/run/netns"]
        default: return []
        }
    }

    /// A short name for the audit log.
    public var name: String {
        switch self {
        case .packageVersion: return "package-version"
        case .haproxyCheck: return "haproxy-check"
        case .systemctl: return "systemctl"
        case .loopbackUp: return "loopback-up"
        case .ip(let command): return "ip-" + command.name
        case .gratuitousARP: return "gratuitous-arp"
        case .unsolicitedNA: return "unsolicited-na"
        case .nftLoad: return "nft-load"
        case .keepalivedLVSCheck: return "keepalived-lvs-check"
        case .keepalivedCheck: return "keepalived-check"
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

/// The launchers a command may use, so that status and heartbeat queries never wait behind a
/// slow configuration check: of the three launchers, the first serves only queries, the other two
/// serve checks and actions (and queries when they are free).
public enum LaunchLane: String, Sendable, Codable, CaseIterable {
    /// Quick read-only questions: `systemctl is-active`, `ip -j link|addr show`, `dpkg-query`.
    case query
    /// Configuration checks (`haproxy -c`, `keepalived --config-test`): may take long.
    case check
    /// Everything else (changes to links, addresses, rules, daemons).
    case action
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

    public init(
        id: UInt64, argv: [String], exitCode: Int32?, signal: Int32?, timedOut: Bool, stdout: String, stderr: String,
        outputTruncated: Bool, durationMicroseconds: UInt64, refusal: String?
    ) {
        self.id = id
        self.argv = argv
        self.exitCode = exitCode
        self.signal = signal
        self.timedOut = timedOut
        self.stdout = stdout
        self.stderr = stderr
        self.outputTruncated = outputTruncated
        self.durationMicroseconds = durationMicroseconds
        self.refusal = refusal
    }

    public var succeeded: Bool { refusal == nil && !timedOut && exitCode == 0 }

    /// stdout and stderr together, as an operator reads a tool's complaint.
    public var combinedOutput: String {
        [stdout, stderr].filter { !$0.isEmpty }.joined(separator: stdout.hasSuffix("\n") ? "" : "\n")
    }
}

/// The `ip` operations the agent performs, each a fixed argument shape over validated values.
/// Link names in the root namespace come from the kernel (`ip -j link`) and are re-validated as
/// ``InterfaceName`` before they are used. An operation "in NS" runs with the launcher having
/// entered the namespace (setns) before exec, not as `ip -n NS`: `ip -n` remounts /sys in a private
/// mount namespace, and the launcher's Landlock domain (rightly) forbids mount(2).
public enum IPCommand: Sendable, Codable, Equatable {
    /// `ip -j link show` (in NS, or in the root namespace when nil)
    case listLinks(netns: InterfaceName?)
    /// `ip -j addr show` in NS
    case listAddresses(netns: InterfaceName)
    /// `ip link set dev NAME netns NS` (in the root namespace)
    case moveToNamespace(link: InterfaceName, netns: InterfaceName)
    /// `ip link set dev NAME netns 1` in NS (back to the root namespace, on rollback)
    case moveToRoot(link: InterfaceName, netns: InterfaceName)
    /// `ip link set dev NAME name NEW` (in NS, or the root namespace when nil)
    case rename(netns: InterfaceName?, link: InterfaceName, to: InterfaceName)
    /// `ip link set dev NAME mtu N` in NS
    case setMTU(netns: InterfaceName, link: InterfaceName, mtu: MTU)
    /// `ip link set dev NAME up|down` in NS
    case setState(netns: InterfaceName, link: InterfaceName, up: Bool)
    /// `ip addr replace ADDR/PREFIX dev NAME` in NS
    case replaceAddress(netns: InterfaceName, link: InterfaceName, address: IPAddress, prefixLength: Int)
    /// `ip addr flush dev NAME` in NS
    case flushAddresses(netns: InterfaceName, link: InterfaceName)
    /// `ip addr del ADDR/PREFIX dev NAME` in NS
    case deleteAddress(netns: InterfaceName, link: InterfaceName, address: IPAddress, prefixLength: Int)
    /// `ip -4|-6 route replace DEST [via GW] dev NAME [onlink | scope link] [table T]` in NS (DEST nil =
    /// default); a route through a gateway is `onlink`, as upstream adds every gateway and next hop.
    case replaceRoute(netns: InterfaceName, destination: CIDR?, via: IPAddress?, link: InterfaceName, family: IPFamily, table: Int?)
    /// `ip -4|-6 route del DEST [via GW] dev NAME [table T]` in NS (DEST nil = default)
    case deleteRoute(netns: InterfaceName, destination: CIDR?, via: IPAddress?, link: InterfaceName, family: IPFamily, table: Int?)
    /// `ip -4|-6 rule add|del from ADDR table T priority P` in NS
    case rule(netns: InterfaceName, add: Bool, from: IPAddress, table: Int, priority: Int)

    /// The namespace the launcher enters before executing `ip` (nil: the root namespace).
    var namespace: InterfaceName? {
        switch self {
        case .listLinks(let netns), .rename(let netns, _, _): return netns
        case .moveToNamespace: return nil
        case .listAddresses(let netns), .moveToRoot(_, let netns), .setMTU(let netns, _, _), .setState(let netns, _, _),
            .replaceAddress(let netns, _, _, _), .flushAddresses(let netns, _), .replaceRoute(let netns, _, _, _, _, _),
            .rule(let netns, _, _, _, _), .deleteAddress(let netns, _, _, _), .deleteRoute(let netns, _, _, _, _, _):
            return netns
        }
    }

    var name: String {
        switch self {
        case .listLinks: return "list-links"
        case .listAddresses: return "list-addresses"
        case .moveToNamespace: return "move-to-namespace"
        case .moveToRoot: return "move-to-root"
        case .rename: return "rename"
        case .setMTU: return "set-mtu"
        case .setState: return "set-state"
        case .replaceAddress: return "replace-address"
        case .flushAddresses: return "flush-addresses"
        case .replaceRoute: return "replace-route"
        case .deleteAddress: return "delete-address"
        case .deleteRoute: return "delete-route"
        case .rule: return "rule"
        }
    }

    var arguments: [String] {
        // The namespace is entered by the launcher (see `namespace`), never passed as `-n`.
        func ns(_: InterfaceName?) -> [String] { [] }
        switch self {
        case .listLinks(let netns): return ns(netns) + ["-j", "link", "show"]
        case .listAddresses(let netns): return ns(netns) + ["-j", "addr", "show"]
        case .moveToNamespace(let link, let netns): return ["link", "set", "dev", link.description, "netns", netns.description]
        case .moveToRoot(let link, let netns): return ns(netns) + ["link", "set", "dev", link.description, "netns", "1"]
        case .rename(let netns, let link, let to): return ns(netns) + ["link", "set", "dev", link.description, "name", to.description]
        case .setMTU(let netns, let link, let mtu): return ns(netns) + ["link", "set", "dev", link.description, "mtu", String(mtu.value)]
        case .setState(let netns, let link, let up): return ns(netns) + ["link", "set", "dev", link.description, up ? "up" : "down"]
        case .replaceAddress(let netns, let link, let address, let prefix):
            return ns(netns) + ["addr", "replace", "\(address)/\(prefix)", "dev", link.description]
        case .flushAddresses(let netns, let link): return ns(netns) + ["addr", "flush", "dev", link.description]
        case .replaceRoute(let netns, let destination, let via, let link, let family, let table):
            var args = ns(netns) + [family == .v6 ? "-6" : "-4", "route", "replace", destination?.description ?? "default"]
            if let via { args += ["via", via.description] }
            args += ["dev", link.description]
            args += via == nil ? ["scope", "link"] : ["onlink"]
            if let table { args += ["table", String(table)] }
            return args
        case .deleteAddress(let netns, let link, let address, let prefix):
            return ns(netns) + ["addr", "del", "\(address)/\(prefix)", "dev", link.description]
        case .deleteRoute(let netns, let destination, let via, let link, let family, let table):
            var args = ns(netns) + [family == .v6 ? "-6" : "-4", "route", "del", destination?.description ?? "default"]
            if let via { args += ["via", via.description] }
            args += ["dev", link.description]
            if let table { args += ["table", String(table)] }
            return args
        case .rule(let netns, let add, let from, let table, let priority):
            return ns(netns) + [from.family == .v6 ? "-6" : "-4", "rule", add ? "add" : "del", "from", from.description,
                                "table", String(table), "priority", String(priority)]
        }
    }
}
