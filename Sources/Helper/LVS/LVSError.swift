import IPCProtocol
import LinuxSystem

/// What can go wrong with a UDP (LVS) listener.
public enum LVSError: Error, Sendable {
    /// Why a start, stop or reload of a listener's keepalived failed.
    public enum ActionFailure: Sendable {
        /// The kernel has no IP Virtual Server support; the reason says what is missing.
        case noKernelSupport(String)
        /// The stored file no longer passes the allow-list.
        case policy(KeepalivedConfigError)
        /// `keepalived --config-test` refused the stored file; its filtered messages.
        case configTest(String)
        /// keepalived, as root, would disable the agent's UDP check script: why.
        case checkScriptUnsafe(String)
        /// The service manager failed.
        case service(ServiceError)
    }

    /// No stored listener with this id.
    case notFound(ResourceID)
    /// A file of the listener could not be read or written.
    case storage(SystemError)
    /// The allow-list refused the uploaded text, or the policy itself is unusable.
    case policy(KeepalivedConfigError)
    /// `keepalived --config-test` refused the uploaded text; its filtered messages.
    case configTestFailed(details: String)
    /// keepalived, as root, would disable the agent's UDP check script the text names: why.
    case checkScriptUnsafe(details: String)
    /// A start, stop or reload of the listener failed.
    case actionFailed(ServiceAction, ResourceID, ActionFailure)
    /// Stopping the listener's keepalived before deleting it failed.
    case stopFailed(ServiceError)
    /// The IPVS table could not be read for the heartbeat.
    case ipvsUnreadable(details: String)
    /// The service manager failed.
    case service(ServiceError)
    /// The launcher failed (its errors are already the wire's).
    case launcher(CommandError)
}
