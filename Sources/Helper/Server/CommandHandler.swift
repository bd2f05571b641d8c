import IPCProtocol
import LinuxSystem
import Logging
import ProgramLauncher

/// Executes the typed commands the front sends: the helper's boundary, where each command is
/// dispatched to its domain and answered with the reply its typed request names. Domain code throws
/// its own errors (``HAProxyError``, ``CertificateError``...); ``handle(_:context:)`` maps them to
/// ``CommandError`` where it catches them.
public final class CommandHandler: Sendable {
    let settings: FrontSettings
    let identity: LockedValue<ServerIdentity>
    /// Held by a rotation of the server certificate from its write to its swap.
    let rotation = LockedValue(())
    let info: AmphoraInfo
    let audit: AuditLog
    let runner: any CommandRunning
    let instances: HAProxyInstances
    let certificates: CertificateStore
    let network: NetworkConfigurator
    let topology: TopologyManager
    /// `agent_server_cert`: where a rotated server certificate and key are stored (0600).
    let serverCertificatePath: String
    let logger: Logger
    /// `/details`, the heartbeat's data and configuration updates.
    let reporting: AmphoraReporting
    /// UDP listeners (keepalived LVS) and interface rules (nftables); nil only in tests that do not need them.
    let lvs: LVSListeners?
    let interfaceRules: InterfaceRulesApplier?

    public init(
        settings: FrontSettings, identity: ServerIdentity, info: AmphoraInfo, audit: AuditLog, runner: any CommandRunning,
        instances: HAProxyInstances, certificates: CertificateStore, network: NetworkConfigurator, topology: TopologyManager,
        serverCertificatePath: String, logger: Logger, reporting: AmphoraReporting, lvs: LVSListeners? = nil,
        interfaceRules: InterfaceRulesApplier? = nil
    ) {
        self.lvs = lvs
        self.interfaceRules = interfaceRules
        self.topology = topology
        self.reporting = reporting
        self.network = network
        self.certificates = certificates
        self.serverCertificatePath = serverCertificatePath
        self.settings = settings
        self.identity = LockedValue(identity)
        self.info = info
        self.audit = audit
        self.runner = runner
        self.instances = instances
        self.logger = logger
    }

    /// Runs one command and returns its outcome; never throws. Each reply is built through the
    /// command's typed request (``HelperRequest/reply(_:)``), the same one the front reads it with.
    public func handle(_ command: Command, context: AuditContext) -> Outcome {
        if command.isMutating, topology.isChanging {
            return .failed(CommandError(mapping: KeepalivedError.transitionInProgress))
        }
        do {
            return .ok(try reply(to: command, context: context))
        } catch {
            // The one place where domain errors become the wire's (CommandErrorMapping.swift).
            let failure = CommandError(mapping: error)
            logger.warning("command failed", metadata: ["command": "\(command.name)", "error": "\(failure.description)"])
            return .failed(failure)
        }
    }

    /// The dispatch: one line per command, each answered through its typed request.
    func reply(to command: Command, context: AuditContext) throws -> Reply {
        switch command {
        case .frontSettings: return HelperRequest.frontSettings.reply(try frontSettings(context))
        case .amphoraInfo: return HelperRequest.amphoraInfo.reply(info)
        case .uploadHAProxyConfig(let upload): return HelperRequest.uploadHAProxyConfig(upload).reply(try instances.upload(upload, context: context))
        case .haproxyConfig(let instance): return HelperRequest.haproxyConfig(instance: instance).reply(try instances.config(instance))
        case .haproxyAction(let instance, let action):
            return HelperRequest.haproxyAction(instance: instance, action: action).reply(try instances.perform(action, on: instance, context: context))
        case .deleteInstance(let instance): return HelperRequest.deleteInstance(instance: instance).reply(try instances.delete(instance, context: context))
        case .listInstances: return HelperRequest.listInstances.reply(try instances.list(context: context))
        case .instanceStatus(let instance):
            return HelperRequest.instanceStatus(instance: instance).reply(try instances.status(instance, context: context))
        case .uploadCertificate(let upload): return HelperRequest.uploadCertificate(upload).reply(try certificates.store(upload, context: context))
        case .certificateDigest(let instance, let file, let scope):
            return HelperRequest.certificateDigest(instance: instance, file: file, scope: scope).reply(try certificates.digest(instance, file, scope: scope))
        case .deleteCertificate(let instance, let file, let scope):
            return HelperRequest.deleteCertificate(instance: instance, file: file, scope: scope)
                .reply(try certificates.delete(instance, file, scope: scope, context: context))
        case .rotateServerCertificate(let pem): return HelperRequest.rotateServerCertificate(pem: pem).reply(try rotateServerCertificate(pem, context: context))
        case .amphoraDetails: return HelperRequest.amphoraDetails.reply(withLVSListeners(try reporting.details(), context: context).anchored(to: audit))
        case .heartbeatStats: return HelperRequest.heartbeatStats.reply(try reporting.heartbeat.report().anchored(to: audit))
        case .updateAgentConfig(let text): return HelperRequest.updateAgentConfig(text: text).reply(try reporting.configuration.update(text, context: context))
        case .interfaceForAddress(let address): return HelperRequest.interfaceForAddress(address).reply(try network.interface(for: address, context: context))
        case .plugVIP(let plug): return HelperRequest.plugVIP(plug).reply(PluggedInterface(name: try network.plugVIP(plug, context: context), updated: false))
        case .plugNetwork(let plug):
            let (name, updated) = try network.plugNetwork(plug, context: context)
            return HelperRequest.plugNetwork(plug).reply(PluggedInterface(name: name, updated: updated))
        case .topology: return HelperRequest.topology.reply(topology.current)
        case .setTopology(let change): return HelperRequest.setTopology(change).reply(try topology.change(change, context: context))
        case .uploadVRRPConfig(let text): return HelperRequest.uploadVRRPConfig(text: text).reply(try topology.upload(text, context: context))
        case .vrrpAction(let action): return HelperRequest.vrrpAction(action).reply(try topology.perform(action, context: context))
        case .uploadLVSConfig(let upload): return HelperRequest.uploadLVSConfig(upload).reply(try listeners().upload(upload, context: context))
        case .lvsConfig(let listener): return HelperRequest.lvsConfig(listener: listener).reply(try listeners().config(listener))
        case .loadBalancerAction(let id, let action):
            return HelperRequest.loadBalancerAction(id: id, action: action).reply(try performOnLoadBalancerObject(action, id, context: context))
        case .deleteListener(let id): return HelperRequest.deleteListener(id: id).reply(try deleteLoadBalancerObject(id, context: context))
        case .listListeners:
            let listing = ListenerListing(instances: try instances.list(context: context), lvsListeners: try listeners().list(context: context))
            return HelperRequest.listListeners.reply(listing)
        case .setInterfaceRules(let rules):
            guard let interfaceRules else { throw CommandHandlerError.listenersNotConfigured }
            return HelperRequest.setInterfaceRules(rules).reply(try interfaceRules.apply(rules, context: context))
        }
    }

    /// The UDP listeners (keepalived LVS); every production helper has them.
    func listeners() throws(CommandHandlerError) -> LVSListeners {
        guard let lvs else { throw .listenersNotConfigured }
        return lvs
    }

    /// `PUT /1.0/loadbalancer/:id/:action`: the helper looks `id` up, as upstream's
    /// `get_backend_for_lb_object` does: a haproxy load balancer when one is configured, else a stored
    /// UDP listener's keepalived; neither answers ``CommandError/Code/instanceNotFound``.
    func performOnLoadBalancerObject(_ action: ServiceAction, _ id: ResourceID, context: AuditContext) throws -> String {
        if try !instances.hasStoredConfig(id), let lvs, try lvs.exists(id) {
            do {
                return try lvs.perform(action, on: id, context: context)
            } catch LVSError.notFound {
                // Deleted since the look-up: answered as for an id nothing owns.
                throw HAProxyError.notFound(id)
            }
        }
        return try instances.perform(action, on: id, context: context)
    }

    /// `DELETE /1.0/listeners/:id`: removes the haproxy load balancer and the UDP listener with this
    /// id, whichever exist (each backend checks its own state; removing what is absent is a no-op).
    /// True when either existed; 1.0 answers 200 either way.
    func deleteLoadBalancerObject(_ id: ResourceID, context: AuditContext) throws -> Bool {
        let instanceExisted = try instances.delete(id, context: context)
        let listenerExisted = try listeners().delete(id, context: context)
        return instanceExisted || listenerExisted
    }

    /// Checks the new bundle (as an upload's: at most ``CertificateStore/maximumSize``, PEM blocks of
    /// certificates and one key and nothing else; then certificate, key, match, validity), stores it
    /// atomically in place of `agent_server_cert`, and makes it the identity handed to the front. On
    /// any failure the old one stays. One rotation at a time, so the stored file and the identity
    /// handed out are always the same bundle.
    func rotateServerCertificate(_ pem: String, context: AuditContext) throws(CommandHandlerError) -> TLSIdentity {
        let bundle: CertificateCheck.CheckedBundle
        do throws(CertificateProblem) {
            guard pem.utf8.count <= CertificateStore.maximumSize else {
                throw CertificateProblem("Bundle larger than \(CertificateStore.maximumSize) bytes")
            }
            _ = try PEMBlock.strictBlocks(in: pem, labels: PEMBlock.storeLabels.subtracting(["X509 CRL"]))
            bundle = try CertificateCheck.checkBundle(pem, requireCurrent: true)
        } catch {
            throw .serverCertificateRefused(error)
        }
        return try rotation.withLock { _ throws(CommandHandlerError) -> TLSIdentity in
            try storeServerCertificate(bundle, context: context)
        }
    }

    /// Stores a checked bundle and hands it out (``rotateServerCertificate(_:context:)`` holds ``rotation``).
    func storeServerCertificate(_ bundle: CertificateCheck.CheckedBundle, context: AuditContext) throws(CommandHandlerError) -> TLSIdentity {
        let name = String(serverCertificatePath.split(separator: "/").last ?? "server.pem")
        // The intent record carries the SHA-256 of the bundle, never the key.
        do throws(FileChangeError) {
            let directory: SafeDirectory
            do throws(SystemError) {
                directory = try SafeDirectory.open(parentDirectory(serverCertificatePath), create: false)
            } catch {
                throw .failed(error)
            }
            try AuditedDirectory(directory: directory, context: context).write(
                name, Array((bundle.certificatesPEM + bundle.privateKeyPEM).utf8), mode: 0o600)
        } catch {
            throw error.wrapped(refused: { _ in CommandHandlerError.auditUnavailable }, failed: CommandHandlerError.serverCertificateNotStored)
        }
        let (old, new) = identity.withLock { current in
            let previous = current
            current = ServerIdentity(
                certificatesPEM: bundle.certificatesPEM, privateKeyPEM: bundle.privateKeyPEM, clientCAPEM: current.clientCAPEM,
                leafDigest: bundle.leafDigest)
            return (previous, current)
        }
        context.recordOutcome("server-certificate-rotated", [
            ("previous_sha256", .string(old.leafDigest)), ("certificate_sha256", .string(new.leafDigest)),
        ])
        return TLSIdentity(
            serverCertificateChainPEM: new.certificatesPEM, serverPrivateKeyPEM: new.privateKeyPEM, clientCAPEM: new.clientCAPEM,
            serverCertificateDigest: new.leafDigest)
    }

    func frontSettings(_ context: AuditContext) throws(CommandHandlerError) -> FrontSettings {
        let current = identity.withLock { $0 }
        do throws(CommandError) {
            try context.recordIntent("identity-issued", [("certificate_sha256", .string(current.leafDigest))])
        } catch {
            throw .auditUnavailable
        }
        var result = settings
        result.heartbeat = reporting.configuration.currentHeartbeat
        result.tls = TLSIdentity(
            serverCertificateChainPEM: current.certificatesPEM, serverPrivateKeyPEM: current.privateKeyPEM,
            clientCAPEM: current.clientCAPEM, serverCertificateDigest: current.leafDigest)
        return result
    }
}
