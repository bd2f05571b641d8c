import IPCProtocol
import Logging
import Synchronization

/// Executes the typed commands the front sends. One function per command; each maps its errors to a
/// ``CommandError`` here, at the boundary.
public final class CommandHandler: Sendable {
    let settings: FrontSettings
    let identity: Mutex<ServerIdentity>
    let info: AmphoraInfo
    let audit: AuditLog
    let runner: any CommandRunning
    let instances: HAProxyInstances
    let certificates: CertificateStore
    /// `agent_server_cert`: where a rotated server certificate and key are stored (0600).
    let serverCertificatePath: String
    let logger: Logger

    public init(
        settings: FrontSettings, identity: ServerIdentity, info: AmphoraInfo, audit: AuditLog, runner: any CommandRunning,
        instances: HAProxyInstances, certificates: CertificateStore, serverCertificatePath: String, logger: Logger
    ) {
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
            }
        } catch {
            logger.warning("command failed", metadata: ["command": "\(command.name)", "error": "\(error.description)"])
            return .failed(error)
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
        result.tls = TLSIdentity(
            serverCertificateChainPEM: current.certificatesPEM, serverPrivateKeyPEM: current.privateKeyPEM,
            clientCAPEM: current.clientCAPEM, serverCertificateDigest: current.leafDigest)
        return result
    }
}
