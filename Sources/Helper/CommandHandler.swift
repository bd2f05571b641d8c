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
    let logger: Logger

    public init(
        settings: FrontSettings, identity: ServerIdentity, info: AmphoraInfo, audit: AuditLog, runner: any CommandRunning,
        logger: Logger
    ) {
        self.settings = settings
        self.identity = Mutex(identity)
        self.info = info
        self.audit = audit
        self.runner = runner
        self.logger = logger
    }

    /// Runs one command and returns its outcome; never throws.
    public func handle(_ command: Command, context: AuditContext) -> Outcome {
        do {
            switch command {
            case .frontSettings: return .ok(.frontSettings(try frontSettings(context)))
            case .amphoraInfo: return .ok(.amphoraInfo(info))
            }
        } catch {
            logger.warning("command failed", metadata: ["command": "\(command.name)", "error": "\(error.description)"])
            return .failed(error)
        }
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
