import IPCProtocol

/// The closed set of commands the launcher executes, each with a fixed argument shape built from
/// validated values. There is no shell and no free-form argv anywhere.
public enum LaunchCommand: Sendable, Codable, Equatable {
    /// `dpkg-query -W -f=${Version} -- PACKAGE`
    case packageVersion(DebianPackage)
    /// `haproxy -c -L PEER -f <base>/<id>/haproxy.cfg[.new] -f <base>/haproxy-default-user-group.conf`
    case haproxyCheck(instance: ResourceID, amphora: ResourceID, candidate: Bool)
    /// `systemctl start|stop|reload|is-active <unit>`
    case systemctl(DaemonOperation, DaemonUnit)
    /// One typed `ip` operation (see ``IPToolOperation`` for the shapes).
    case ip(IPToolOperation)
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
    /// `nft -f <base>/nftables-masquerade.rules`, inside the amphora namespace: the UDP/SCTP
    /// masquerade and TCP notrack of the plugged ports (the helper writes the file, 0600). Without
    /// `-o`: nftables 1.0.6's optimizer crashes (SIGSEGV) on two `oifname X meta l4proto udp
    /// masquerade` rules in a row, and these rules have nothing to merge.
    case nftLoadMasquerade(netns: InterfaceName)
    /// `keepalived --config-test -f <base>/lvs/octavia-keepalivedlvs-<id>.conf[.new]`, run inside the
    /// amphora namespace, where the listener's keepalived runs (see ``KeepalivedCheckCopy``).
    case keepalivedLVSCheck(listener: ResourceID, netns: InterfaceName, candidate: Bool)

    /// The program this command runs.
    public var program: Program {
        switch self {
        case .packageVersion: return .dpkgQuery
        case .haproxyCheck: return .haproxy
        case .systemctl: return .systemctl
        case .ip: return .ip
        case .gratuitousARP: return .arping
        case .unsolicitedNA: return .na6
        case .nftLoad, .nftLoadMasquerade: return .nft
        case .keepalivedLVSCheck, .keepalivedCheck: return .keepalived
        }
    }

    /// The network namespace the launcher enters before executing (only for programs without a
    /// namespace option of their own).
    public var namespace: InterfaceName? {
        if case .gratuitousARP(let netns, _, _) = self { return netns }
        if case .unsolicitedNA(let netns, _, _) = self { return netns }
        if case .nftLoad(let netns) = self { return netns }
        if case .nftLoadMasquerade(let netns) = self { return netns }
        if case .keepalivedCheck(let netns, _) = self { return netns }
        if case .keepalivedLVSCheck(_, let netns, _) = self { return netns }
        if case .ip(let command) = self { return command.namespace }
        return nil
    }

    /// The arguments after argv[0], rendered from typed values and the configured paths.
    public func arguments(_ paths: ProgramPaths) -> [String] {
        switch self {
        case .packageVersion(let package):
            return ["-W", "-f=${Version}", "--", package.rawValue]
        case .haproxyCheck(let instance, let amphora, let candidate):
            let config = paths.haproxyConfig(instance, candidate: candidate)
            return ["-c", "-L", HAProxyPeerName.forAmphora(amphora), "-f", config, "-f", paths.userGroupFile]
        case .systemctl(let operation, let unit):
            return [operation == .status ? "is-active" : operation.rawValue, "--", unit.systemdName]
        case .ip(let command):
            return command.arguments
        case .gratuitousARP(_, let interface, let address):
            return ["-U", "-c", "2", "-w", "2", "-I", interface.description, address.description]
        case .unsolicitedNA(_, let interface, let address):
            return ["-i", interface.description, "-s", address.description, "-d", "ff02::1", "-t", address.description, "-o", "-e"]
        case .nftLoad:
            return ["-o", "-f", paths.nftablesRulesFile]
        case .nftLoadMasquerade:
            return ["-f", paths.masqueradeRulesFile]
        case .keepalivedLVSCheck(let listener, _, let candidate):
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

    /// Whether this command parses text the controller sent: it then runs as ``CheckAccount``, with
    /// no capabilities, reads its inputs from sealed copies and runs under a read-only Landlock
    /// domain (see ``LauncherProcess``).
    public var isConfigurationCheck: Bool { lane == .check }

    /// Whether the check reads its input through ``KeepalivedCheckCopy`` (keepalived's checks: the
    /// launcher enters the namespace for them, and the copy leaves out the `net_namespace` line).
    public var checksCopyWithoutNamespace: Bool {
        switch self {
        case .keepalivedCheck, .keepalivedLVSCheck: return true
        default: return false
        }
    }

    /// The files a check reads that only root may open: the launcher reads each (as root) into a
    /// sealed memory file and hands it to the check as `/dev/fd/N` in place of the path.
    public func checkInputs(_ paths: ProgramPaths) -> [String] {
        switch self {
        case .haproxyCheck(let instance, _, let candidate):
            return [paths.haproxyConfig(instance, candidate: candidate), paths.userGroupFile]
        case .keepalivedLVSCheck(let listener, _, let candidate):
            return [paths.lvsConfigFile(listener) + (candidate ? ".new" : "")]
        case .keepalivedCheck(_, let candidate):
            return [paths.basePath + "/vrrp/octavia-keepalived.conf" + (candidate ? ".new" : "")]
        default:
            return []
        }
    }

    /// Directories and files a check may read besides the system's (Landlock, read-only): a haproxy
    /// check reads the certificates its configuration names, in that load balancer's certificate
    /// directory, and the CA file (one file) the user/group file names for haproxy's HTTP client;
    /// keepalived nothing more (it runs in its namespace already, see ``KeepalivedCheckCopy``).
    public func checkReadPaths(_ paths: ProgramPaths) -> [String] {
        switch self {
        case .haproxyCheck(let instance, _, _): return [paths.certificateDirectory(instance), paths.httpclientCAFile]
        default: return []
        }
    }

    /// A short name for the audit log.
    public var name: String {
        switch self {
        case .packageVersion: return "package-version"
        case .haproxyCheck: return "haproxy-check"
        case .systemctl: return "systemctl"
        case .ip(let command): return "ip-" + command.name
        case .gratuitousARP: return "gratuitous-arp"
        case .unsolicitedNA: return "unsolicited-na"
        case .nftLoad: return "nft-load"
        case .nftLoadMasquerade: return "nft-load-masquerade"
        case .keepalivedLVSCheck: return "keepalived-lvs-check"
        case .keepalivedCheck: return "keepalived-check"
        }
    }

    /// Rejects a command whose rendered arguments break the launcher's own grammar (validate twice):
    /// every argument is printable ASCII without newlines, and no value argument after `--` starts with `-`.
    public func checkArguments(_ paths: ProgramPaths) throws(LaunchError) {
        var afterSeparator = false
        for argument in arguments(paths) {
            guard !argument.isEmpty, argument.utf8.count <= 4096,
                argument.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F })
            else { throw .argumentRefused }
            if afterSeparator, argument.hasPrefix("-") { throw .optionLikeValueRefused }
            if argument == "--" { afterSeparator = true }
        }
    }
}
