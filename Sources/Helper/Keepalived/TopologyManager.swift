import AgentConfig
import Glibc
import IPCProtocol
import LinuxSystem

/// The amphora's topology and its VRRP (keepalived) configuration.
///
/// `POST /v0.1/topology` with ACTIVE-STANDBY makes the agent render its own keepalived
/// configuration from role, ha_ip and secret, check it with `keepalived --config-test`, and run it;
/// while that happens the status is TOPOLOGY-CHANGE and every mutating command answers 503. The
/// topology is stored in `<base_path>/topology.json` (0600) and survives restarts; the secret lives
/// only in `<base_path>/vrrp/` files (0600) and is never logged. Controller-rendered keepalived
/// configurations (`PUT /vrrp/upload`) go through the same checks: the VRRP allow-list
/// (``VRRPConfigPolicy``, over ``KeepalivedConfigTokenizer``), whose only script is the agent's own
/// `vrrp/check_script.sh`, then `keepalived --config-test`, whose status decides (`KeepalivedConfigTest.passed`: 0, or 5 with only known benign warnings).
public final class TopologyManager: Sendable {
    let base: SafeDirectory
    let basePath: String
    let runner: any CommandRunning
    let services: any ServiceManager
    let network: NetworkConfigurator
    let audit: AuditLog
    /// The helper binary, which keepalived runs as `vrrp-check` (the health check of every instance).
    let helperExecutable: String
    let amphoraID: ResourceID
    let state: LockedValue<TopologyState>
    let changeLock = LockedValue(())

    public init(
        base: SafeDirectory, basePath: String, runner: any CommandRunning, services: any ServiceManager, network: NetworkConfigurator,
        audit: AuditLog, helperExecutable: String, amphoraID: ResourceID, configuredTopology: String
    ) {
        self.base = base
        self.basePath = basePath
        self.runner = runner
        self.services = services
        self.network = network
        self.audit = audit
        self.helperExecutable = helperExecutable
        self.amphoraID = amphoraID
        var initial = TopologyState(
            topology: configuredTopology == "ACTIVE_STANDBY" ? .activeStandby : .single, role: nil, haIP: nil, status: .ok)
        if let bytes = (try? base.read(StateLayout.topologyFile)).flatMap({ $0 }), var stored = try? StrictJSON.decode(TopologyState.self, from: bytes) {
            stored.status = .ok
            initial = stored
        }
        self.state = LockedValue(initial)
    }

    public var current: TopologyState { state.withLock { $0 } }
    public var isChanging: Bool { current.status == .changing }

    // MARK: - Topology

    /// Accepts a change and carries it out in the background; returns the TOPOLOGY-CHANGE state.
    /// A change that cannot succeed is refused at once (400, recorded as the last failure): an
    /// ACTIVE-STANDBY ha_ip on no plugged interface's subnet. A change that fails later is rolled
    /// back, and `current.lastFailure` says what and why until a later change succeeds.
    public func change(_ change: TopologyChange, context: AuditContext) throws(KeepalivedError) -> TopologyState {
        guard current.status == .ok else { throw .transitionInProgress }
        do throws(KeepalivedError) {
            try checkFeasible(change, context: context)
        } catch {
            let failure = Self.failure(change, error)
            state.withLock { $0.lastFailure = failure }
            context.recordOutcome("topology-change-refused", [("error", .string(error.description))])
            throw error
        }
        let accepted = try state.withLock { current throws(KeepalivedError) -> TopologyState in
            guard current.status == .ok else { throw .transitionInProgress }
            current.status = .changing
            return current
        }
        do throws(CommandError) {
            try context.recordIntent("topology-change", [
                ("topology", .string(change.topology.rawValue)), ("role", .string(change.role?.rawValue ?? "")),
                ("ha_ip", .string(change.haIP?.description ?? "")),
            ])
        } catch {
            state.withLock { $0.status = .ok }
            throw .launcher(error)
        }
        startThread { [self] in
            var result = accepted
            do throws(KeepalivedError) {
                try changeLock.withLock { _ throws(KeepalivedError) in try apply(change, context: context) }
                result = TopologyState(topology: change.topology, role: change.role, haIP: change.haIP, status: .ok)
                if let bytes = try? StrictJSON.encode(result) {
                    try? AuditedDirectory(directory: base, context: context).write(StateLayout.topologyFile, bytes, mode: 0o600)
                }
            } catch {
                result.lastFailure = Self.failure(change, error)
                result.status = .ok
                context.recordOutcome("topology-change-failed", [("error", .string(error.description))])
            }
            let final = result
            state.withLock { $0 = final }
            // This thread's outcomes come after the command's reply: make them durable now.
            try? context.log.sync()
        }
        return accepted
    }

    /// The seed spec's "topology logic test": ACTIVE-STANDBY needs a plugged interface on ha_ip's subnet.
    func checkFeasible(_ change: TopologyChange, context: AuditContext) throws(KeepalivedError) {
        guard change.topology == .activeStandby, let haIP = change.haIP else { return }
        let prefix: Int
        do {
            (_, prefix) = try network.interface(onSubnetOf: haIP, context: context)
        } catch {
            if case .noInterfaceOnSubnet = error { throw .haIPNotOnPluggedSubnet(haIP) }
            throw .network(error)
        }
        if let subnet = NetworkConfigurator.network(of: haIP, prefixLength: prefix), subnet.isReservedHost(haIP) {
            throw .haIPNotAVIP(haIP, reason: "is the network or broadcast address of \(subnet)")
        }
        let own: Set<IPAddress>
        do {
            own = try network.recordedOwnAddresses()
        } catch {
            throw .network(error)
        }
        if own.contains(haIP) {
            throw .haIPNotAVIP(haIP, reason: "is an address of the amphora's own port, not a VIP")
        }
    }

    /// A failed transition as `GET /topology` reports it: what was asked (never the secret) and the wire's error.
    static func failure(_ change: TopologyChange, _ error: KeepalivedError) -> TopologyFailure {
        let wire = CommandError(error)
        return TopologyFailure(topology: change.topology, role: change.role, haIP: change.haIP, message: wire.message, details: wire.details)
    }

    func apply(_ change: TopologyChange, context: AuditContext) throws(KeepalivedError) {
        switch change.topology {
        case .single:
            if try services.perform(.status, .keepalived, context: context, or: KeepalivedError.service).running {
                _ = try services.perform(.stop, .keepalived, context: context, or: KeepalivedError.service)
            }
            if let vrrp = try vrrpDirectory() { _ = try? AuditedDirectory(directory: vrrp, context: context).remove(StateLayout.VRRPFile.config) }
        case .activeStandby:
            guard let role = change.role, let haIP = change.haIP, let secret = change.secret else {
                throw .incompleteActiveStandby
            }
            let interface: String
            let prefix: Int
            do {
                (interface, prefix) = try network.interface(onSubnetOf: haIP, context: context)
            } catch {
                throw .network(error)
            }
            let text = renderKeepalived(role: role, haIP: haIP, prefixLength: prefix, interface: interface, secret: secret)
            try store(text, context: context)
            try runKeepalived(context: context)
        case .activeActive:
            throw .unsupportedTopology
        }
    }

    /// The agent's own VRRP configuration: one instance, MASTER (priority 100) or BACKUP (90),
    /// the VIP on the interface of its subnet, tracked by `vrrp/check_script.sh` (a fixed 0700 wrapper
    /// the agent writes, which runs the helper's `vrrp-check`; keepalived's script security checks
    /// that no part of the script's path is writable by anyone but root).
    func renderKeepalived(role: TopologyRole, haIP: IPAddress, prefixLength: Int, interface: String, secret: String) -> String {
        Self.renderKeepalived(
            amphoraID: amphoraID, basePath: basePath, role: role, haIP: haIP, prefixLength: prefixLength, interface: interface, secret: secret)
    }

    /// ``renderKeepalived(role:haIP:prefixLength:interface:secret:)`` for a given amphora and base path.
    public static func renderKeepalived(
        amphoraID: ResourceID, basePath: String, role: TopologyRole, haIP: IPAddress, prefixLength: Int, interface: String, secret: String
    ) -> String {
        let master = role == .active
        return """
            # Rendered by the amphora agent for ACTIVE-STANDBY (POST /v0.1/topology); replaced on the next change.
            global_defs {
                router_id amphora-\(amphoraID.description.prefix(8))
                enable_script_security
                script_user root
            }

            vrrp_script check_instances {
                script "\(StateLayout(basePath: basePath).vrrpFile(StateLayout.VRRPFile.checkScript))"
                interval 1
                timeout 2
                fall 2
                rise 2
            }

            vrrp_instance amphora_vrrp {
                state \(master ? "MASTER" : "BACKUP")
                interface \(interface)
                virtual_router_id 51
                priority \(master ? 100 : 90)
                advert_int 1
                authentication {
                    auth_type PASS
                    auth_pass \(secret.prefix(8))
                }
                virtual_ipaddress {
                    \(haIP)/\(prefixLength) dev \(interface)
                }
                track_script {
                    check_instances
                }
            }

            """
    }
}
