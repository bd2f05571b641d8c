import AgentConfig
import Glibc
import IPCProtocol
import LinuxSystem

/// Whether keepalived is configured and running: the heartbeat is skipped while it is configured
/// but not running (upstream rule: `<base_path>/vrrp/octavia-keepalived.conf` exists and the pid in
/// its pid file is not alive).
///
/// ``HelperMain`` uses ``pidFile(base:)``, which starts no process (asking the service manager
/// would run `systemctl` every heartbeat in production); ``notConfigured`` is for tests.
public struct KeepalivedProbe: Sendable {
    public let state: @Sendable () -> HeartbeatReport.Keepalived
    public init(state: @escaping @Sendable () -> HeartbeatReport.Keepalived) { self.state = state }

    /// No keepalived configuration exists: always send.
    public static let notConfigured = KeepalivedProbe { .notConfigured }

    /// `<base_path>/vrrp/octavia-keepalived.conf` and the pid in `<base_path>/vrrp/keepalived.pid`
    /// (where both the systemd unit and the standalone agent have keepalived write it): running when
    /// that process exists, is not a zombie and is called keepalived (a recycled pid is not).
    public static func pidFile(base: SafeDirectory) -> KeepalivedProbe {
        KeepalivedProbe {
            guard let vrrp = try? base.subdirectory(StateLayout.vrrpDirectoryName, create: false),
                vrrp.exists(StateLayout.VRRPFile.config)
            else { return .notConfigured }
            return isRunning(pidFile: StateLayout.VRRPFile.pid, in: vrrp) ? .running : .stopped
        }
    }

    /// Whether the pid in `directory`/`pidFile` is a live keepalived (false when the file is missing or malformed).
    static func isRunning(pidFile: String, in directory: SafeDirectory) -> Bool {
        guard let bytes = try? directory.read(pidFile, limit: 64),
            let pid = Int32(String(decoding: bytes, as: UTF8.self).trimmingASCIIWhitespace()), pid > 0
        else { return false }
        return isRunning(pid: pid, named: "keepalived")
    }

    /// Whether `/proc/<pid>/stat` names a live (not zombie) process called `name`.
    static func isRunning(pid: Int32, named name: String, proc: String = "/proc") -> Bool {
        guard let bytes = try? readFile("\(proc)/\(pid)/stat", limit: 4096) else { return false }
        let text = String(decoding: bytes, as: UTF8.self)
        // "<pid> (<comm>) <state> ...": comm may contain spaces and parentheses; the last ")" ends it.
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close else { return false }
        let comm = text[text.index(after: open)..<close]
        let state = text[text.index(after: close)...].split(separator: " ").first
        return comm == name && state != "Z" && state != "X"
    }
}
