import IPCProtocol
import LinuxSystem

/// Why `PUT /1.0/config` was refused or not stored.
public enum AgentConfigError: Error, Sendable {
    /// The uploaded configuration is refused; the details are the one-line reason.
    case invalid(details: String)
    /// The audit record could not be written, so nothing is done.
    case auditUnavailable
    /// The file could not be written.
    case notStored(SystemError)
}
