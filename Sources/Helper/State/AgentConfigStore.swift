import AgentConfig
import Glibc
import IPCProtocol
import LinuxSystem
import Logging

/// `PUT /1.0/config`: a new `amphora-agent.conf` from the controller.
///
/// The text is validated with ``AgentConfiguration`` (an invalid one is refused with its one-line
/// error and nothing is written), stored atomically with mode 0600 in place of the file the agent
/// was started with (`--config-file`), and its mutable options take effect at once: the heartbeat's
/// `controller_ip_port_list`, `heartbeat_interval` and `heartbeat_key` (upstream semantics). Every
/// other option applies at the next start.
///
/// Two rules upstream does not have:
/// * Trust-defining keys are deployment constants (``DeploymentConstants``): `agent_server_ca`,
///   `agent_server_cert`, `base_path`, `base_cert_dir`, `haproxy_cmd` and every `[privsep]` key keep
///   their running values. An upload may repeat them (the controller renders some from its own
///   settings) or leave them out (its template has no `[privsep]` section); one that changes any of
///   them is refused with 400 naming the key, and nothing is written.
/// * `amphora_id` cannot change: a configuration for another amphora is refused.
public final class AgentConfigStore: Sendable {
    let path: String
    let running: AgentConfiguration
    let audit: AuditLog
    let logger: Logger
    let heartbeat: LockedValue<HeartbeatSettings>

    public init(path: String, running: AgentConfiguration, audit: AuditLog, logger: Logger) {
        self.path = path
        self.running = running
        self.audit = audit
        self.logger = logger
        heartbeat = LockedValue(Self.heartbeatSettings(running))
    }

    static func heartbeatSettings(_ configuration: AgentConfiguration) -> HeartbeatSettings {
        HeartbeatSettings(
            controllers: configuration.controllerIPPortList.map(\.description), intervalSeconds: configuration.heartbeatInterval,
            key: configuration.heartbeatKey)
    }

    /// The heartbeat settings in force (those of the last stored configuration).
    public var currentHeartbeat: HeartbeatSettings { heartbeat.withLock { $0 } }

    /// The text that would be stored for `upload`, and the configuration it gives, or the one-line reason it is refused.
    static func validate(_ upload: String, running: AgentConfiguration) throws(AgentConfigError) -> (text: String, configuration: AgentConfiguration, warnings: [String]) {
        let source = "(uploaded)"
        guard upload.utf8.count <= AgentConfiguration.maximumFileSize, !upload.utf8.contains(0) else {
            throw .invalid(details: "config \(source): not a text file of at most 1 MiB")
        }
        do {
            let (text, configuration, warnings) = try DeploymentConstants.apply(to: upload, running: running, source: source)
            guard configuration.amphoraID == running.amphoraID else {
                throw AgentConfigError.invalid(
                    details: "config \(source): [amphora_agent] amphora_id \(configuration.amphoraID) is not this amphora's (\(running.amphoraID))")
            }
            return (text, configuration, warnings)
        } catch let error as ConfigError {
            throw .invalid(details: error.description)
        } catch let error as AgentConfigError {
            throw error
        } catch {
            throw .invalid(details: "\(error)")
        }
    }

    /// Validates, stores and applies a new configuration; returns the heartbeat settings now in force.
    public func update(_ upload: String, context: AuditContext) throws(AgentConfigError) -> HeartbeatSettings {
        let (text, configuration, warnings) = try Self.validate(upload, running: running)
        for warning in warnings { logger.info("uploaded configuration: \(warning)") }
        let bytes = Array(text.utf8)
        let name = String(path.split(separator: "/").last ?? "amphora-agent.conf")
        // The file-intent record (path, SHA-256) precedes the write; no record, no write.
        do throws(FileChangeError) {
            let directory: SafeDirectory
            do throws(SystemError) { directory = try SafeDirectory.open(parentDirectory(path), create: false) } catch { throw .failed(error) }
            try AuditedDirectory(directory: directory, context: context).write(name, bytes, mode: 0o600)
        } catch {
            switch error {
            case .refused: throw .auditUnavailable
            case .failed(let failure): throw .notStored(failure)
            }
        }
        let settings = Self.heartbeatSettings(configuration)
        heartbeat.withLock { $0 = settings }
        context.recordOutcome("agent-config-applied", [
            ("path", .string(path)), ("controllers", .number(String(settings.controllers.count))),
            ("heartbeat_interval", .number(String(settings.intervalSeconds))),
        ])
        return settings
    }
}
