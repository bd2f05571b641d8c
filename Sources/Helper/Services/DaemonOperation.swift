import Glibc
import IPCProtocol
import Synchronization

/// The closed set of daemon operations.
public enum DaemonOperation: String, Sendable, Codable {
    case start, stop, reload, status
    /// systemd only: start the unit at boot (`systemctl enable`), or no longer (`disable`). The
    /// systemd service manager sends them with `start` and `stop`; the standalone agent has no boot
    /// to survive and answers them with the unit's status.
    case enable, disable
}
