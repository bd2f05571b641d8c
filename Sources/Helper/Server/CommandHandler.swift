import IPCProtocol
import Logging
import Synchronization

/// Executes the typed commands the front sends. Domain code throws its own errors (``HAProxyError``,
/// ``CertificateError``...); ``handle(_:context:)`` maps them to ``CommandError`` where it catches them.
public final class CommandHandler: Sendable {
    let settings: FrontSettings
    let identity: Mutex<ServerIdentity>
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
        self.identity = Mutex(identity)
        self.info = info
        self.audit = audit
        self.runner = runner
        self.instances = instances
        self.logger = logger
    }

    /// Runs one command and returns its outcome; never throws.
    public func handle(_ command: Command, context: AuditContext) -> Outcome {
        if command.isMutating, topology.isChanging {
            return .failed(CommandError(.unavailable, "Topology transition in progress"))
        }
        do {
            switch command {
            case .frontSettings: return .ok(.frontSettings(try frontSettings(context)))
            case .amphoraInfo: return .ok(.amphoraInfo(info))
            case .uploadHAProxyConfig(let upload):
                return .ok(.haproxyConfigStored(checkOutput: try instances.upload(upload, context: context)))
            case .haproxyConfig(let instance): return .ok(.haproxyConfig(try instances.config(instance)))
            case .haproxyAction(let instance, let action):
                return .ok(.actionDone(details: try instances.perform(action, on: instance, context: context)))
            case .deleteInstance(let instance): return .ok(.deleted(existed: try instances.delete(instance, context: context)))
            case .listInstances: return .ok(.instances(try instances.list(context: context)))
            case .instanceStatus(let instance): return .ok(.instanceStatus(try instances.status(instance, context: context)))
            case .uploadCertificate(let upload):
                return .ok(.certificateDigest(md5: try certificates.store(upload, context: context)))
            case .certificateDigest(let instance, let file, let scope):
                return .ok(.certificateDigest(md5: try certificates.digest(instance, file, scope: scope)))
            case .deleteCertificate(let instance, let file, let scope):
                return .ok(.deleted(existed: try certificates.delete(instance, file, scope: scope, context: context)))
            case .rotateServerCertificate(let pem):
                return .ok(.serverCertificateRotated(try rotateServerCertificate(pem, context: context)))
            case .amphoraDetails: return .ok(.amphoraDetails(withLVSListeners(try reporting.details(), context: context)))
            case .heartbeatStats: return .ok(.heartbeatStats(try reporting.heartbeat.report()))
            case .updateAgentConfig(let text): return .ok(.agentConfigUpdated(try reporting.configuration.update(text, context: context)))
            case .interfaceForAddress(let address): return .ok(.interface(name: try network.interface(for: address, context: context)))
            case .plugVIP(let plug): return .ok(.plugged(interface: try network.plugVIP(plug, context: context), updated: false))
            case .plugNetwork(let plug):
                let (name, updated) = try network.plugNetwork(plug, context: context)
                return .ok(.plugged(interface: name, updated: updated))
            case .topology: return .ok(.topology(topology.current))
            case .setTopology(let change): return .ok(.topology(try topology.change(change, context: context)))
            case .uploadVRRPConfig(let text): return .ok(.vrrpStored(md5: try topology.upload(text, context: context)))
            case .vrrpAction(let action): return .ok(.actionDone(details: try topology.perform(action, context: context)))
            case .uploadLVSConfig, .lvsConfig, .lvsAction, .deleteLVSListener, .listLVSListeners, .setInterfaceRules:
                return try handleListenerCommand(command, context: context)
            }
        } catch {
            // The one place where domain errors become the wire's (CommandErrorMapping.swift).
            let failure = CommandError(mapping: error)
            logger.warning("command failed", metadata: ["command": "\(command.name)", "error": "\(failure.description)"])
            return .failed(failure)
        }
    }

    /// Checks the new bundle (certificate, key, match, validity), stores it atomically in place of
    /// `agent_server_cert`, and makes it the identity handed to the front. On any failure the old one stays.
    func rotateServerCertificate(_ pem: String, context: AuditContext) throws(CommandError) -> TLSIdentity {
        let bundle: CertificateCheck.CheckedBundle
        do {
            bundle = try CertificateCheck.checkBundle(pem, requireCurrent: true)
        } catch {
            throw CommandError(.badRequest, error.message)
        }
        let name = String(serverCertificatePath.split(separator: "/").last ?? "server.pem")
        do throws(SystemError) {
            let directory = try SafeDirectory.open(parentDirectory(serverCertificatePath), create: false)
            try directory.writeAtomically(name, Array((bundle.certificatesPEM + bundle.privateKeyPEM).utf8), mode: 0o600)
        } catch {
            throw CommandError(.internalError, "Error storing the server certificate", details: error.description)
        }
        let (old, new) = identity.withLock { current in
            let previous = current
            current = ServerIdentity(
                certificatesPEM: bundle.certificatesPEM, privateKeyPEM: bundle.privateKeyPEM, clientCAPEM: current.clientCAPEM,
                leafDigest: bundle.leafDigest)
            return (previous, current)
        }
        try? audit.record("server-certificate-rotated", [
            ("request", .number(String(context.requestID))), ("peer_uid", .number(String(context.peerUID))),
            ("previous_sha256", .string(old.leafDigest)), ("certificate_sha256", .string(new.leafDigest)),
        ])
        return TLSIdentity(
            serverCertificateChainPEM: new.certificatesPEM, serverPrivateKeyPEM: new.privateKeyPEM, clientCAPEM: new.clientCAPEM,
            serverCertificateDigest: new.leafDigest)
    }

    func frontSettings(_ context: AuditContext) throws(CommandError) -> FrontSettings {
        let current = identity.withLock { $0 }
        do {
            try audit.record("identity-issued", [
                ("request", .number(String(context.requestID))),
                ("peer_uid", .number(String(context.peerUID))),
                ("certificate_sha256", .string(current.leafDigest)),
            ])
        } catch {
            throw CommandError(.unavailable, "Audit log unavailable; command refused")
        }
        var result = settings
        result.heartbeat = reporting.configuration.currentHeartbeat
        result.tls = TLSIdentity(
            serverCertificateChainPEM: current.certificatesPEM, serverPrivateKeyPEM: current.privateKeyPEM,
            clientCAPEM: current.clientCAPEM, serverCertificateDigest: current.leafDigest)
        return result
    }
}
