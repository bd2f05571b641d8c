import IPCProtocol
import LinuxSystem

/// What can go wrong with the amphora's topology and its VRRP keepalived.
public enum KeepalivedError: Error, Sendable {
    /// A topology change is already being carried out.
    case transitionInProgress
    /// ACTIVE-STANDBY without role, ha_ip or secret.
    case incompleteActiveStandby
    /// ACTIVE-ACTIVE, which the agent does not support.
    case unsupportedTopology
    /// No plugged interface has an address on the subnet of ACTIVE-STANDBY's ha_ip (keepalived would
    /// have nowhere to put it): the seed spec's "topology logic test" fails, 400.
    case haIPNotOnPluggedSubnet(IPAddress)
    /// ha_ip is its subnet's network or broadcast address, or an address a plug gave the amphora
    /// itself (keepalived would take it away as BACKUP): 400.
    case haIPNotAVIP(IPAddress, reason: String)
    /// The `vrrp` directory cannot be opened or created.
    case directoryUnavailable(SystemError?)
    /// The configuration or its check script could not be written.
    case notStored(SystemError)
    /// The stored configuration could not be read.
    case notRead(SystemError)
    /// The allow-list refused the text, or the policy itself is unusable.
    case policy(KeepalivedConfigError)
    /// `keepalived --config-test` refused the text; the details are its filtered messages.
    case configTestFailed(details: String)
    /// keepalived, as root, would disable the agent's VRRP check script: its path is not root's alone.
    case checkScriptUnsafe(details: String)
    /// start or reload without an uploaded configuration.
    case notConfigured
    /// keepalived exited right after starting; its own filtered messages, if any.
    case exited(details: String?)
    /// A `PUT /vrrp/<action>` failed; the cause says why.
    indirect case actionFailed(ServiceAction, cause: KeepalivedError)
    /// Storing an uploaded configuration failed (not a refusal): the seed spec's message.
    indirect case uploadFailed(cause: KeepalivedError)
    /// Finding the VIP's interface failed.
    case network(NetworkError)
    /// The service manager failed.
    case service(ServiceError)
    /// The launcher failed (its errors are already the wire's).
    case launcher(CommandError)
}
