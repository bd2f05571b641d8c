import Glibc
import IPCProtocol
import LinuxSystem
import ProgramLauncher

/// The helper's one boundary between its domain errors and the wire: every status kind, message
/// and detail the front (and so the controller) sees for a failed command is chosen here, and
/// nowhere in domain code. ``CommandHandler`` calls ``CommandError/init(mapping:)`` where it catches.
/// The launchers' errors (``LaunchError``) become wire errors here too, where the audited runner
/// meets the launchers (the `run` and `share` below); domain errors carry them as `.launcher`.
extension CommandError {
    /// The wire form of whatever a command's domain code threw.
    public init(mapping error: any Error) {
        switch error {
        case let error as CommandError: self = error
        case let error as HAProxyError: self.init(error)
        case let error as CertificateError: self.init(error)
        case let error as KeepalivedConfigError: self.init(error)
        case let error as KeepalivedError: self.init(error)
        case let error as LVSError: self.init(error)
        case let error as NetworkError: self.init(error)
        case let error as AgentConfigError: self.init(error)
        case let error as ReportingError: self.init(error)
        case let error as ServiceError: self.init(error)
        case let error as LaunchError: self.init(error)
        case let error as CommandHandlerError: self.init(error)
        default: self.init(.internalError, "Internal error", details: "\(error)")
        }
    }

    /// A file that could not be stored. A full file system (ENOSPC, EDQUOT) is named in the message
    /// itself, so that the controller's log says what to free; `message` and the failed call go to
    /// the details. Anything else keeps `message`, with the failed call as the details.
    init(storing message: String, _ error: SystemError) {
        if error.errno == ENOSPC || error.errno == EDQUOT {
            self.init(.internalError, "No space left on device", details: "\(message): \(error.description)")
        } else {
            self.init(.internalError, message, details: error.description)
        }
    }

    init(_ error: HAProxyError) {
        switch error {
        case .refused(let details): self.init(.badRequest, "Invalid request", details: details)
        case .policyUnreadable:
            self.init(.internalError, "Internal error", details: "the compiled-in haproxy policy does not parse")
        case .notFound(let id): self.init(.instanceNotFound, "Instance Not Found", details: id.description)
        case .storage(let error): self.init(storing: "Internal error", error)
        case .checkFailed(let action, let details):
            self.init(.internalError, "Error \(action == .start ? "starting" : "reloading") haproxy", details: details)
        case .didNotStart(let details): self.init(.internalError, "Error starting haproxy", details: details ?? "haproxy did not come up")
        case .service(let error): self.init(error)
        case .stopFailed(let error):
            let inner = CommandError(error)
            self.init(.internalError, "Error stopping haproxy", details: inner.details ?? inner.message)
        case .launcher(let error): self = error
        }
    }

    init(_ error: CertificateError) {
        switch error {
        case .tooLarge: self.init(.tooLarge, "Certificate too large")
        case .badBundle(let problem): self.init(.badRequest, problem.message)
        case .invalid(let details): self.init(.badRequest, "Invalid certificate", details: details)
        case .storageUnavailable(let details): self.init(.unavailable, "Certificate storage unavailable", details: details)
        case .notFound(let file, let scope):
            // The seed spec (v0.1, listener certificates) writes "file name"; upstream's 1.0 agent "filename".
            self.init(
                .certificateNotFound, "Certificate Not Found",
                details: "No certificate with \(scope == .listener ? "file name" : "filename"): \(file)")
        case .instance(let error): self.init(error)
        case .notStored(let error): self.init(storing: "Error storing certificate", error)
        case .notRead(let error): self.init(.internalError, "Error reading certificate", details: error.description)
        case .notDeleted(let error): self.init(.internalError, "Error deleting certificate", details: error.description)
        case .refused(let error): self = error
        }
    }

    init(_ error: KeepalivedConfigError) {
        switch error {
        case .refused(let refusal): self.init(.badRequest, "Invalid request", details: refusal.description)
        case .policyMissing(let fileName): self.init(.internalError, "\(fileName) is not compiled in")
        case .policyMalformed(let fileName, let line): self.init(.internalError, "malformed line in \(fileName): \(line)")
        }
    }

    init(_ error: KeepalivedError) {
        switch error {
        case .transitionInProgress: self.init(.unavailable, "Topology transition in progress")
        case .incompleteActiveStandby: self.init(.badRequest, "role, ha_ip and secret are required for ACTIVE-STANDBY")
        case .unsupportedTopology: self.init(.badRequest, "Unsupported topology: ACTIVE-ACTIVE")
        case .haIPNotOnPluggedSubnet(let haIP):
            self.init(.badRequest, "Invalid request", details: "ha_ip \(haIP) is not on the subnet of any plugged interface")
        case .haIPNotAVIP(let haIP, let reason):
            self.init(.badRequest, "Invalid request", details: "ha_ip \(haIP) \(reason)")
        case .directoryUnavailable(let error?):
            self.init(.internalError, "Error opening the VRRP directory", details: error.description)
        case .directoryUnavailable(nil): self.init(.internalError, "No VRRP directory")
        case .notStored(let error): self.init(storing: "Error storing the VRRP configuration", error)
        case .notRead(let error): self.init(.internalError, "Error reading the VRRP configuration", details: error.description)
        case .policy(let error): self.init(error)
        case .configTestFailed(let details): self.init(.badRequest, "Invalid request", details: details)
        case .checkScriptUnsafe(let details):
            self.init(.internalError, "keepalived would not run the VRRP check script", details: details)
        case .notConfigured: self.init(.internalError, "No keepalived configuration has been uploaded")
        case .exited(let details): self.init(.internalError, "keepalived exited", details: details)
        case .actionFailed(let action, let cause):
            // The seed spec: "Failed to stop keepalived service: <what went wrong>"; the message carries
            // the first line of the reason, the details all of it.
            let inner = CommandError(cause)
            let reason = inner.details ?? inner.message
            let first = reason.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? reason
            self.init(
                inner.code == .badRequest ? .badRequest : .internalError, "Failed to \(action.rawValue) keepalived service: \(first)",
                details: reason)
        case .uploadFailed(let cause):
            let inner = CommandError(cause)
            self.init(.internalError, "Failed to upload keepalived configuration.", details: inner.details ?? inner.message)
        case .network(let error): self.init(error)
        case .service(let error): self.init(error)
        case .launcher(let error): self = error
        }
    }

    init(_ error: LVSError) {
        switch error {
        case .notFound(let id): self.init(.lvsListenerNotFound, "UDP Listener Not Found", details: "No UDP listener with UUID: \(id)")
        case .storage(let error): self.init(storing: "Internal error", error)
        case .policy(let error): self.init(error)
        case .configTestFailed(let details): self.init(.badRequest, "Invalid request", details: details)
        case .checkScriptUnsafe(let details): self.init(.internalError, "keepalived would not run the UDP check script", details: details)
        case .actionFailed(let action, let id, let failure):
            let message = "Failed to \(action == .reload ? "restart" : action.rawValue) keepalivedlvs listener \(id)"
            switch failure {
            case .noKernelSupport(let reason): self.init(.internalError, message, details: reason)
            case .policy(let error):
                let inner = CommandError(error)
                self.init(.internalError, message, details: inner.details ?? inner.message)
            case .configTest(let details): self.init(.internalError, message, details: details)
            case .checkScriptUnsafe(let details): self.init(.internalError, message, details: "keepalived would not run the UDP check script: \(details)")
            case .service(let error):
                let inner = CommandError(error)
                self.init(inner.code, message, details: inner.details ?? inner.message)
            }
        case .stopFailed(let error):
            let inner = CommandError(error)
            self.init(inner.code, "Error stopping keepalivedlvs", details: inner.details ?? inner.message)
        case .ipvsUnreadable(let details): self.init(.internalError, "Cannot read the IP Virtual Server table", details: details)
        case .service(let error): self.init(error)
        case .launcher(let error): self = error
        }
    }

    init(_ error: NetworkError) {
        switch error {
        case .noSuitableInterface: self.init(.notFound, "No suitable network interface found")
        case .noInterfaceForAddress: self.init(.notFound, "Error interface not found for IP address")
        case .noInterfaceOnSubnet(let address): self.init(.notFound, "No interface on the subnet of \(address)")
        case .alreadyPlugged: self.init(.conflict, "Interface already exists")
        case .interfaceInUse(let name, let reason):
            self.init(.badRequest, "The interface with this MAC address is the amphora's own", details: "\(name): \(reason)")
        case .ipFailed(let details): self.init(.internalError, "Error configuring interface", details: details)
        case .notRecorded(let details): self.init(.internalError, "Error recording the interface", details: details)
        case .tooManyRules:
            self.init(.badRequest, "Invalid rules information", details: "more than \(InterfaceRules.maximumRules) rules")
        case .unexpectedInterfaceName(let name): self.init(.internalError, "Unexpected interface name", details: name)
        case .rulesNotWritten(let error): self.init(.internalError, "Error writing the nftables rules", details: error.description)
        case .rulesNotLoaded(let details): self.init(.internalError, "Error loading the nftables rules", details: details)
        case .launcher(let error): self = error
        }
    }

    init(_ error: ServiceError) {
        switch error {
        case .auditUnavailable: self = .auditRefusal
        case .managerUnavailable(let details): self.init(.internalError, "Service manager unavailable", details: details)
        case .failed(let operation, let unit, let details):
            self.init(.internalError, "Error \(operation.gerund) \(unit.daemonName)", details: details)
        case .launcher(let error): self = error
        }
    }

    init(_ error: AgentConfigError) {
        switch error {
        case .invalid(let details): self.init(.badRequest, "Invalid configuration", details: details)
        case .auditUnavailable: self = .auditRefusal
        case .notStored(let error): self.init(storing: "Unable to update amphora-agent configuration.", error)
        }
    }

    init(_ error: LaunchError) {
        switch error {
        case .argumentRefused, .optionLikeValueRefused: self.init(.badRequest, error.message, details: error.details)
        default: self.init(.internalError, error.message, details: error.details)
        }
    }

    init(_ error: CommandHandlerError) {
        switch error {
        case .listenersNotConfigured: self.init(.internalError, "UDP listeners are not configured in this helper")
        case .auditUnavailable: self = .auditRefusal
        case .serverCertificateRefused(let problem): self.init(.badRequest, problem.message)
        case .serverCertificateNotStored(let error):
            self.init(.internalError, "Error storing the server certificate", details: error.description)
        }
    }

    init(_ error: ReportingError) {
        switch error {
        case .haproxy(let error): self.init(error)
        case .lvs(let error): self.init(error)
        case .countersNotStored(let details): self.init(.internalError, "Cannot store the heartbeat counters", details: details)
        }
    }
}

/// Domain errors print as the wire error they become (logs and audit records read the same as before).
extension HAProxyError: CustomStringConvertible { public var description: String { CommandError(self).description } }
extension CertificateError: CustomStringConvertible { public var description: String { CommandError(self).description } }
extension KeepalivedConfigError: CustomStringConvertible { public var description: String { CommandError(self).description } }
extension KeepalivedError: CustomStringConvertible { public var description: String { CommandError(self).description } }
extension LVSError: CustomStringConvertible { public var description: String { CommandError(self).description } }
extension NetworkError: CustomStringConvertible { public var description: String { CommandError(self).description } }
extension AgentConfigError: CustomStringConvertible { public var description: String { CommandError(self).description } }
extension ReportingError: CustomStringConvertible { public var description: String { CommandError(self).description } }
extension ServiceError: CustomStringConvertible { public var description: String { CommandError(self).description } }
extension CommandHandlerError: CustomStringConvertible { public var description: String { CommandError(self).description } }

extension KeepalivedError {
    /// Whether the wire answers it as an internal error (500), not as a refusal or "try again".
    var isInternalError: Bool { CommandError(self).code == .internalError }
}

extension LauncherPool {
    /// ``launch(_:deadlineMilliseconds:)`` with the launcher's error in its wire form, for the
    /// audited runner (``CommandRunning`` hands domain code ``CommandError``).
    func run(_ command: LaunchCommand, deadlineMilliseconds: Int) throws(CommandError) -> LaunchResult {
        do throws(LaunchError) {
            return try launch(command, deadlineMilliseconds: deadlineMilliseconds)
        } catch {
            throw CommandError(error)
        }
    }
}

extension CertificateSharing {
    /// ``shareWithCheck(_:)`` with the launcher's error in its wire form, for the audited runner.
    func share(_ instance: ResourceID) throws(CommandError) {
        do throws(LaunchError) {
            try shareWithCheck(instance)
        } catch {
            throw CommandError(error)
        }
    }
}

extension DaemonOperation {
    /// The operation as a gerund, for messages ("Error stopping haproxy", as the seed spec writes it).
    var gerund: String {
        switch self {
        case .start: return "starting"
        case .stop: return "stopping"
        case .reload: return "reloading"
        case .status: return "querying"
        case .enable: return "enabling"
        case .disable: return "disabling"
        }
    }
}

extension CommandError {
    /// The refusal of a change whose intent could not be recorded in the audit log (fail closed): 503.
    static let auditRefusal = CommandError(.unavailable, "Audit log unavailable; command refused")
}
