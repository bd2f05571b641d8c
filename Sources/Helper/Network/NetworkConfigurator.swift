import AgentConfig
import Glibc
import IPCProtocol
import LinuxSystem
import ProgramLauncher

/// Ports the controller hot-plugs: found by MAC in the root namespace, moved into the amphora
/// namespace under the next free `ethN`, configured with `ip` through the launcher, recorded in
/// `<base_path>/plugged_interfaces.json` so they are found and configured again after a restart.
/// Every plug (and the replay) also loads the masquerade of all plugged ports (``LVSMasquerade``).
/// A failed step rolls back what the request changed. Network changes run one at a time.
public final class NetworkConfigurator: Sendable {
    /// The policy-routing table of the VIP (upstream uses table 1) and its rules' priority.
    public static let vipTable = 1
    public static let vipRulePriority = 100

    let netns: InterfaceName
    let base: SafeDirectory
    let runner: any CommandRunning
    /// ACTIVE_STANDBY: the VIP itself belongs to keepalived; the interface gets the VRRP address.
    let activeStandby: Bool
    /// Pokes the PCI bus when a port's MAC is not found (nil: never, e.g. in unit tests).
    let pciRescan: PCIRescan?
    /// Gratuitous ARP / unsolicited NA; HAProxyInstances and LVSListeners share it for the VIPs.
    public let announcer: AddressAnnouncer
    let masquerade: LVSMasquerade
    let lock = LockedValue(())

    public init(netns: InterfaceName, base: SafeDirectory, runner: any CommandRunning, activeStandby: Bool, pciRescan: PCIRescan? = nil) {
        self.netns = netns
        self.base = base
        self.runner = runner
        self.activeStandby = activeStandby
        self.pciRescan = pciRescan
        self.announcer = AddressAnnouncer(netns: netns, runner: runner, activeStandby: activeStandby)
        self.masquerade = LVSMasquerade(base: base, netns: netns, runner: runner)
    }

    /// One recorded plug, replayed on restart.
    struct Record: Codable, Equatable {
        var interface: String
        var mac: MACAddress
        var vip: VIPPlug?
        var network: NetworkPlug?
    }

    /// A link as `ip -j link show` reports it.
    struct Link: Equatable {
        var name: String
        var mac: String
    }

    func ip(_ command: IPToolOperation, _ context: AuditContext) throws(NetworkError) -> LaunchResult {
        let result = try runner.run(.ip(command), context: context, deadlineMilliseconds: 20_000, or: NetworkError.launcher)
        guard result.succeeded else {
            throw .ipFailed(details: ToolFailure.summary(result, tool: "ip"))
        }
        return result
    }

    func links(_ netns: InterfaceName?, _ context: AuditContext) throws(NetworkError) -> [Link] {
        RootLink.parse(try ip(.listLinks(netns: netns), context).stdout).map { Link(name: $0.name, mac: $0.mac) }
    }

    /// The root namespace's links, with what decides whether a plug may take them; the MACs of those
    /// holding addresses are remembered in ``addressedMACs``, except `recorded` ports': an image that
    /// runs DHCP on every port may have given one an address at boot (a plug refuses a link only
    /// while it holds one).
    func rootLinks(_ context: AuditContext, except recorded: Set<String>) throws(NetworkError) -> [RootLink] {
        let links = RootLink.parse(try ip(.listAddresses(netns: nil), context).stdout)
        addressedMACs.withLock { $0.formUnion(links.filter { !$0.configuredAddresses.isEmpty && !recorded.contains($0.mac) }.map(\.mac)) }
        return links
    }

    /// The audit records' `command` of the start-up listing (``rememberOwnLinksAtStart(context:)``).
    public static let ownLinksTask = "list-own-links"

    /// At start: the links the amphora itself uses hold their addresses by now (the helper starts
    /// after cloud-init); listed (``rootLinks(_:except:)``), they stay refused to a plug even if one
    /// loses its address later. Recorded ports are left out (readable entries or not); when the
    /// records cannot be read, none is (fail closed). Under the network lock: plugs wait for it.
    /// Why it failed, or nil.
    public func rememberOwnLinksAtStart(context: AuditContext) -> String? {
        lock.withLock { _ -> String? in
            do throws(NetworkError) {
                _ = try rootLinks(context, except: (try? recordFile())?.recordedMACs ?? [])
                return nil
            } catch {
                return "\(error)"
            }
        }
    }

    /// The MACs of root-namespace links this process has seen holding addresses: such a link stays
    /// the amphora's own even when it holds none for a while (a lost lease, a link taken down).
    let addressedMACs = LockedValue<Set<String>>([])

    // MARK: - Lookup

    /// The amphora-namespace interface holding `address`.
    public func interface(for address: IPAddress, context: AuditContext) throws(NetworkError) -> String {
        guard let match = try addresses(context).first(where: { $0.address == address }) else {
            throw .noInterfaceForAddress
        }
        return match.interface
    }

    /// The amphora-namespace interface with an address on the same subnet as `address`, and that
    /// subnet's prefix length (keepalived puts the VIP there).
    public func interface(onSubnetOf address: IPAddress, context: AuditContext) throws(NetworkError) -> (String, Int) {
        for entry in try addresses(context) where entry.address.family == address.family {
            if let network = Self.network(of: entry.address, prefixLength: entry.prefixLength), network.contains(address) {
                return (entry.interface, entry.prefixLength)
            }
        }
        throw .noInterfaceOnSubnet(address)
    }

    /// Every address in the amphora namespace, with its interface and prefix length (`ip -j addr show`).
    func addresses(_ context: AuditContext) throws(NetworkError) -> [(interface: String, address: IPAddress, prefixLength: Int)] {
        NamespaceAddress.parse(try ip(.listAddresses(netns: netns), context).stdout).map { ($0.interface, $0.address, $0.prefixLength) }
    }

    /// The network an address with a prefix length belongs to.
    static func network(of address: IPAddress, prefixLength: Int) -> CIDR? {
        var bytes = address.bytes
        for index in bytes.indices {
            let keep = max(0, min(8, prefixLength - index * 8))
            bytes[index] &= keep == 8 ? 0xFF : UInt8(truncatingIfNeeded: 0xFF << (8 - keep))
        }
        guard let network = try? IPAddress(bytes: bytes) else { return nil }
        return try? CIDR(validating: "\(network)/\(prefixLength)")
    }

    // MARK: - Plugging

    /// Plugs the VIP's port. 409 when the MAC is already in the namespace.
    public func plugVIP(_ plug: VIPPlug, context: AuditContext) throws(NetworkError) -> String {
        try lock.withLock { _ throws(NetworkError) -> String in
            if try links(netns, context).contains(where: { $0.mac == plug.mac.description }) {
                throw .alreadyPlugged
            }
            let name = try plugNew(plug.mac, try readRecords(), context) { name in
                Record(interface: name.description, mac: plug.mac, vip: plug, network: nil)
            }
            announce(addresses(of: plug), on: name, context)
            return name.description
        }
    }

    /// Plugs a member-network port, or reconfigures it when it is already in the namespace.
    ///
    /// Reconfiguring (upstream's "Updated existing interface") applies the new fixed addresses and
    /// removes what the previous plug of that port added and this one no longer has (the controller
    /// removes a member subnet by sending fewer `fixed_ips`). With `vip_net_info` (a member subnet on
    /// the VRRP port) the port is configured as the VIP interface plus the fixed addresses, and the
    /// record keeps both, so a restart restores the VIP, its routes and rules. Without it, a port that
    /// carries the VIP keeps its VIP part (upstream would strip it; the controller always sends
    /// `vip_net_info` for that port). Both paths send gratuitous ARP / unsolicited NA for the fixed
    /// addresses, as upstream's `send_member_advertisements` does. A new port ignores `vip_net_info`,
    /// as upstream does.
    public func plugNetwork(_ plug: NetworkPlug, context: AuditContext) throws(NetworkError) -> (String, Bool) {
        try lock.withLock { _ throws(NetworkError) -> (String, Bool) in
            var member = plug
            member.vipNetInfo = nil
            // Read once, before anything changes: a file that cannot be read changes nothing.
            let file = try readRecords()
            if let existing = try links(netns, context).first(where: { $0.mac == plug.mac.description }),
                let name = try? InterfaceName(validating: existing.name)
            {
                let old = file.records.first { $0.mac == plug.mac }
                let new = Record(interface: name.description, mac: plug.mac, vip: plug.vipNetInfo ?? old?.vip, network: member)
                try apply(plan(of: new), previous: old.map(plan(of:)), on: name, context)
                try applyMasquerade(including: new, from: file, context)
                try record(new, in: file, context)
                announce(plug.fixedIPs.map(\.address), on: name, context)
                return (name.description, true)
            }
            let name = try plugNew(plug.mac, file, context) { name in Record(interface: name.description, mac: plug.mac, vip: nil, network: member) }
            announce(plug.fixedIPs.map(\.address), on: name, context)
            return (name.description, false)
        }
    }

    /// Moves the link with `mac` in, configures it as `record(name)` says and records it in `file`
    /// (the records as read before anything changed); on any failure the link goes back to the root
    /// namespace under its old name, and the masquerade to the recorded ports'.
    func plugNew(
        _ mac: MACAddress, _ file: PlugRecordFile, _ context: AuditContext, record: (InterfaceName) -> Record
    ) throws(NetworkError) -> InterfaceName {
        let name = try moveIn(mac, recorded: file.recordedMACs, context)
        let new = record(name)
        var masqueraded = false
        do throws(NetworkError) {
            try apply(plan(of: new), previous: nil, on: name, context)
            try applyMasquerade(including: new, from: file, context)
            masqueraded = true
            try self.record(new, in: file, context)
        } catch {
            rollback(name, context)
            if masqueraded { try? masquerade.apply(Self.masqueradePorts(file.records), context: context) }
            throw error
        }
        return name
    }

    /// Finds the link with `mac` in the root namespace and moves it into ours as the next free `ethN`.
    /// No such link: the PCI bus is rescanned (see ``PCIRescan``) and the links are looked at once
    /// more (the kernel probes new devices during the write); still none: 404, which the controller
    /// retries. A link the amphora itself uses, or a MAC more than one link has: refused (see ``RootLink``).
    func moveIn(_ mac: MACAddress, recorded: Set<String>, _ context: AuditContext) throws(NetworkError) -> InterfaceName {
        var found = try rootLinks(context, except: recorded).filter { $0.mac == mac.description }
        if found.isEmpty, let pciRescan, pciRescan.rescan(context: context) {
            found = try rootLinks(context, except: recorded).filter { $0.mac == mac.description }
        }
        guard let link = found.first else { throw .noSuitableInterface }
        guard found.count == 1 else { throw .interfaceInUse(name: link.name, reason: "\(found.count) links have its MAC address") }
        guard let rootName = try? InterfaceName(validating: link.name) else { throw .noSuitableInterface }
        guard !link.enslaved else { throw .interfaceInUse(name: link.name, reason: "it is enslaved to another link") }
        guard link.configuredAddresses.isEmpty else {
            throw .interfaceInUse(name: link.name, reason: "it holds \(link.configuredAddresses.joined(separator: ", "))")
        }
        guard link.upperLinks.isEmpty else {
            throw .interfaceInUse(name: link.name, reason: "\(link.upperLinks.joined(separator: ", ")) runs over it")
        }
        guard !addressedMACs.withLock({ $0.contains(link.mac) }) else {
            throw .interfaceInUse(name: link.name, reason: "it held addresses when this helper listed the links before")
        }
        let used = Set(try links(netns, context).map(\.name))
        var index = 1
        while used.contains("eth\(index)") { index += 1 }
        guard let target = try? InterfaceName(validating: "eth\(index)") else { throw .noSuitableInterface }
        _ = try ip(.moveToNamespace(link: rootName, netns: netns), context)
        do throws(NetworkError) {
            _ = try ip(.rename(netns: netns, link: rootName, to: target), context)
        } catch {
            _ = try? ip(.moveToRoot(link: rootName, netns: netns), context)
            throw error
        }
        // The link was found and moved by name: if the name passed to another device in between
        // (a hot-unplug and a rename), that device goes back at once (so does the link when the
        // check cannot be made).
        let moved = Result { () throws(NetworkError) in try links(netns, context) }
        guard case .success(let inside) = moved, inside.contains(where: { $0.name == target.description && $0.mac == mac.description }) else {
            _ = try? ip(.rename(netns: netns, link: target, to: rootName), context)
            _ = try? ip(.moveToRoot(link: rootName, netns: netns), context)
            if case .failure(let error) = moved {
                throw .ipFailed(details: "\(rootName) could not be verified after the move (\(error)); moved back")
            }
            throw .ipFailed(details: "\(rootName) was not the port with \(mac) when it was moved; moved back")
        }
        movedFrom.withLock { $0[target.description] = rootName.description }
        return target
    }

    /// Original root-namespace names of links moved in by this process (for rollback).
    let movedFrom = LockedValue<[String: String]>([:])

    /// Undoes a plug: addresses flushed, link down, back to the root namespace under its old name.
    func rollback(_ name: InterfaceName, _ context: AuditContext) {
        _ = try? ip(.flushAddresses(netns: netns, link: name), context)
        _ = try? ip(.setState(netns: netns, link: name, up: false), context)
        let original = movedFrom.withLock { $0.removeValue(forKey: name.description) }
        if let original, let originalName = try? InterfaceName(validating: original) {
            _ = try? ip(.rename(netns: netns, link: name, to: originalName), context)
            _ = try? ip(.moveToRoot(link: originalName, netns: netns), context)
        } else {
            _ = try? ip(.moveToRoot(link: name, netns: netns), context)
        }
    }

    func addresses(of plug: VIPPlug) -> [IPAddress] {
        var result: [IPAddress] = []
        if activeStandby { result.append(plug.vrrpAddress ?? plug.vip.address) } else { result.append(plug.vip.address) }
        if !activeStandby { result += plug.additionalVIPs.map(\.address) }
        return result
    }

    /// What a recorded plug puts on its interface.
    func plan(of record: Record) -> InterfacePlan {
        InterfacePlan(vip: record.vip, network: record.network, activeStandby: activeStandby, vipTable: Self.vipTable)
    }

    /// Removes what `previous` had and `plan` has not (rules, routes, addresses; failures ignored:
    /// the kernel may have dropped a route with its address already), then applies `plan`: MTU,
    /// addresses, link up, routes, rules. Every step is idempotent, so a replay changes nothing that
    /// is already right.
    func apply(_ plan: InterfacePlan, previous: InterfacePlan?, on name: InterfaceName, _ context: AuditContext) throws(NetworkError) {
        if let previous {
            for source in previous.ruleSources where !plan.ruleSources.contains(source) {
                _ = try? runner.run(
                    .ip(.rule(netns: netns, add: false, from: source, table: Self.vipTable, priority: Self.vipRulePriority)), context: context,
                    deadlineMilliseconds: 20_000)
            }
            for route in previous.routes where !plan.routes.contains(route) {
                _ = try? runner.run(
                    .ip(.deleteRoute(netns: netns, destination: route.destination, via: route.via, link: name, family: route.family, table: route.table)),
                    context: context, deadlineMilliseconds: 20_000)
            }
            for entry in previous.addresses where !plan.addresses.contains(entry) {
                _ = try? runner.run(
                    .ip(.deleteAddress(netns: netns, link: name, address: entry.address, prefixLength: entry.prefixLength)), context: context,
                    deadlineMilliseconds: 20_000)
            }
        }
        if plan.sriov { try loadSRIOVRules(context) }
        if let mtu = plan.mtu { _ = try ip(.setMTU(netns: netns, link: name, mtu: mtu), context) }
        for entry in plan.addresses {
            _ = try ip(.replaceAddress(netns: netns, link: name, address: entry.address, prefixLength: entry.prefixLength), context)
        }
        _ = try ip(.setState(netns: netns, link: name, up: true), context)
        if plan.addresses.contains(where: { $0.address.family == .v6 }) { waitWhileTentative(name, context) }
        for route in plan.routes {
            _ = try ip(
                .replaceRoute(netns: netns, destination: route.destination, via: route.via, link: name, family: route.family, table: route.table),
                context)
        }
        for source in plan.ruleSources {
            // Delete first so that a replay does not stack duplicate rules.
            _ = try? runner.run(
                .ip(.rule(netns: netns, add: false, from: source, table: Self.vipTable, priority: Self.vipRulePriority)), context: context,
                deadlineMilliseconds: 20_000)
            _ = try ip(.rule(netns: netns, add: true, from: source, table: Self.vipTable, priority: Self.vipRulePriority), context)
        }
    }

    /// IPv6 addresses cannot be bound (haproxy's reload fails) while duplicate address detection
    /// runs: like upstream's `_wait_tentative`, wait (at most 30 s) until no address of the link is
    /// tentative. Listing failures end the wait; the caller's next steps report real errors.
    func waitWhileTentative(_ name: InterfaceName, _ context: AuditContext) {
        let deadline = monotonicNanoseconds() + 30_000_000_000
        while monotonicNanoseconds() < deadline {
            guard let output = try? ip(.listAddresses(netns: netns), context).stdout,
                let value = try? JSONValue(parsing: Array(output.utf8)), case .array(let links) = value
            else { return }
            let tentative = links.contains { link in
                guard case .object(let members) = link, case .string(let ifname)? = members.first(where: { $0.0 == "ifname" })?.1,
                    ifname == name.description, case .array(let infos)? = members.first(where: { $0.0 == "addr_info" })?.1
                else { return false }
                return infos.contains { info in
                    guard case .object(let fields) = info else { return false }
                    return fields.contains { $0.0 == "tentative" && $0.1 == .bool(true) }
                }
            }
            if !tentative { return }
            usleep(200_000)
        }
    }

    /// An SR-IOV port: the "drop all" ruleset is written unless a ruleset file exists, then the file
    /// is loaded (upstream's `nftable_utils.write_nftable_rules_file(name, [])` and `load_nftables_file`).
    func loadSRIOVRules(_ context: AuditContext) throws(NetworkError) {
        if !base.exists(StateLayout.nftablesRulesFile) {
            do throws(FileChangeError) {
                try AuditedDirectory(directory: base, context: context).write(StateLayout.nftablesRulesFile, Array(SRIOVBaseRules.ruleset.utf8), mode: 0o600)
            } catch {
                throw error.wrapped(refused: NetworkError.launcher, failed: NetworkError.rulesNotWritten)
            }
        }
        let result = try runner.run(.nftLoad(netns: netns), context: context, deadlineMilliseconds: 30_000, or: NetworkError.launcher)
        guard result.succeeded else {
            throw .rulesNotLoaded(details: ToolFailure.summary(result, tool: "nft"))
        }
    }

    /// Gratuitous ARP (IPv4) and unsolicited neighbour advertisements (IPv6) for a plugged port's
    /// addresses (see ``AddressAnnouncer``).
    func announce(_ addresses: [IPAddress], on name: InterfaceName, _ context: AuditContext) {
        announcer.announce(addresses, on: name, context: context)
    }

    // MARK: - Masquerade

    /// The masquerade's view of recorded plugs: the interface, the families of its addresses as
    /// upstream's interface files list them (the VIPs' families; the fixed addresses' families, or
    /// both for a port without any) and whether it is an SR-IOV port.
    static func masqueradePorts(_ records: [Record]) -> [LVSMasquerade.Port] {
        records.compactMap { record in
            guard let name = try? InterfaceName(validating: record.interface) else { return nil }
            var families = Set<IPFamily>()
            if let vip = record.vip { families.formUnion(([vip.vip] + vip.additionalVIPs).map(\.address.family)) }
            if let network = record.network {
                families.formUnion(network.fixedIPs.isEmpty ? [.v4, .v6] : network.fixedIPs.map(\.address.family))
            }
            let sriov = (record.vip?.isSRIOV ?? false) || (record.network?.isSRIOV ?? false)
            return LVSMasquerade.Port(interface: name, families: families, sriov: sriov)
        }
    }

    /// Loads the masquerade of every port recorded in `file`, with `new` in place of its previous record.
    func applyMasquerade(including new: Record, from file: PlugRecordFile, _ context: AuditContext) throws(NetworkError) {
        let all = file.records.filter { $0.mac != new.mac && $0.interface != new.interface } + [new]
        try masquerade.apply(Self.masqueradePorts(all), context: context)
    }

    // MARK: - Records

    /// The recorded plugs, entry by entry (``PlugRecordFile``); no file, none. Something other than
    /// a regular file by that name, or one too large to be ours, reads as corrupt; any other failure
    /// to read it (an I/O error, no descriptor left) is thrown, never read as no records.
    func recordFile() throws(SystemError) -> PlugRecordFile {
        do {
            guard let bytes = try base.read(StateLayout.pluggedInterfacesFile) else { return PlugRecordFile() }
            return PlugRecordFile(bytes: bytes)
        } catch {
            // Corrupt: too large to be ours, or not a regular file (a symlink, socket, FIFO, device,
            // directory: whatever its open failed with). A regular file that could not be read is not.
            let type = base.fileType(StateLayout.pluggedInterfacesFile)
            guard error.errno == EFBIG || (type != nil && type != S_IFREG) else { throw error }
            var file = PlugRecordFile()
            file.isCorrupt = true
            return file
        }
    }

    /// ``recordFile()``; a file that cannot be read now is an error, never "no records" (a plug
    /// would otherwise rewrite the masquerade of every other port without them).
    func readRecords() throws(NetworkError) -> PlugRecordFile {
        do {
            return try recordFile()
        } catch {
            throw .notRecorded(details: "\(StateLayout.pluggedInterfacesFile) could not be read: \(error)")
        }
    }


    /// The addresses plugs gave the amphora itself: VRRP addresses and member ports' fixed
    /// addresses (a VIP is not one: in ACTIVE_STANDBY keepalived holds it).
    public func recordedOwnAddresses() throws(NetworkError) -> Set<IPAddress> {
        Set(try readRecords().records.flatMap { record in [record.vip?.vrrpAddress].compactMap { $0 } + (record.network?.fixedIPs.map(\.address) ?? []) })
    }

    /// Records `new` in `file` (the records as read before the plug changed anything) in place of the
    /// record of its MAC or interface. Entries this agent cannot read stay as they were; a corrupt
    /// file is first kept aside as `<name>.corrupt-<time>`, never overwritten.
    func record(_ new: Record, in file: PlugRecordFile, _ context: AuditContext) throws(NetworkError) {
        let bytes: [UInt8]
        do {
            bytes = try file.bytes(recording: new)
        } catch {
            throw .notRecorded(details: "\(error)")
        }
        let aside = file.isCorrupt ? try asideName() : nil
        let directory = AuditedDirectory(directory: base, context: context)
        do throws(FileChangeError) {
            if let aside { try directory.rename(StateLayout.pluggedInterfacesFile, to: aside) }
            try directory.write(StateLayout.pluggedInterfacesFile, bytes, mode: 0o600)
        } catch {
            throw error.wrapped(refused: NetworkError.launcher) { NetworkError.notRecorded(details: "\($0)") }
        }
    }

    /// A free name to keep a corrupt record file aside under: `<name>.corrupt-<time>[-N]`.
    func asideName() throws(NetworkError) -> String {
        let stem = "\(StateLayout.pluggedInterfacesFile).corrupt-\(time(nil))"
        do throws(SystemError) {
            for name in [stem] + (1...99).map({ "\(stem)-\($0)" }) where try !base.contains(name) { return name }
        } catch {
            throw .notRecorded(details: "\(error)")
        }
        throw .notRecorded(details: "no free name to keep the corrupt \(StateLayout.pluggedInterfacesFile) aside")
    }

    /// After a restart (of the agent or the amphora): every recorded port is found by MAC, moved in
    /// again if it is back in the root namespace (under the same rules as a plug), and configured
    /// again. Returns the interfaces configured and, for each record that was not, its MAC and why.
    public func restore(context: AuditContext) -> (restored: [String], skipped: [(mac: String, reason: String)]) {
        var restored: [String] = []
        var skipped: [(mac: String, reason: String)] = []
        var configured: [Record] = []
        lock.withLock { _ in
            let file: PlugRecordFile
            do {
                file = try recordFile()
            } catch {
                skipped.append(("-", "\(StateLayout.pluggedInterfacesFile) could not be read: \(error)"))
                return
            }
            if file.isCorrupt {
                skipped.append(("-", "\(StateLayout.pluggedInterfacesFile) is not a list of records; kept aside at the next plug"))
            }
            for entry in file.unreadable {
                skipped.append((entry.shownMAC, "the record is not one this agent accepts: \(entry.reason)"))
            }
            for record in file.records {
                do throws(NetworkError) {
                    let inside = try links(netns, context).first { $0.mac == record.mac.description }
                    let name: InterfaceName
                    if let inside, let existing = try? InterfaceName(validating: inside.name) {
                        name = existing
                    } else {
                        name = try moveIn(record.mac, recorded: file.recordedMACs, context)
                    }
                    try apply(plan(of: record), previous: nil, on: name, context)
                    restored.append(name.description)
                    var current = record
                    current.interface = name.description
                    configured.append(current)
                } catch {
                    skipped.append((record.mac.description, error.description))
                }
            }
            // The masquerade of every port configured again, as their interface files' up scripts add it.
            if !configured.isEmpty { try? masquerade.apply(Self.masqueradePorts(configured), context: context) }
        }
        return (restored, skipped)
    }
}
