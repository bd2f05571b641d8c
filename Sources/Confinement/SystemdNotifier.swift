import Glibc

/// systemd's readiness and watchdog protocol (`sd_notify(3)`) without libsystemd: one datagram
/// to the `AF_UNIX` socket named by `$NOTIFY_SOCKET` (a path, or `@name` for the abstract
/// namespace). Outside a `Type=notify` unit the variable is unset and every call does nothing.
///
/// Only `socket(AF_UNIX, SOCK_DGRAM)`, `sendto` and `close` are used, all on the helper's and the
/// front's seccomp allow-lists, so the calls work after the filters are loaded.
public enum SystemdNotifier {
    /// Tells systemd the service is ready (`READY=1`) with a status line; false when not under systemd or the send failed.
    @discardableResult
    public static func ready(status: String) -> Bool {
        send("READY=1\nSTATUS=\(status)")
    }

    /// One watchdog keep-alive (`WATCHDOG=1`).
    @discardableResult
    public static func watchdog() -> Bool {
        send("WATCHDOG=1")
    }

    /// How often to send `WATCHDOG=1`: half of `$WATCHDOG_USEC` when it is set for this process
    /// (`$WATCHDOG_PID` absent or ours), in nanoseconds; nil when the unit has no `WatchdogSec=`.
    public static var watchdogIntervalNanoseconds: UInt64? {
        guard let text = environment("WATCHDOG_USEC"), let microseconds = UInt64(text), microseconds > 0 else { return nil }
        if let pid = environment("WATCHDOG_PID"), pid != String(getpid()) { return nil }
        return microseconds.multipliedReportingOverflow(by: 500).partialValue
    }

    /// Sends `WATCHDOG=1` forever at the interval systemd asked for; returns at once without `WatchdogSec=`.
    /// For a thread that has nothing else to do (the helper's main thread).
    public static func keepAliveForever() -> Never {
        let interval = watchdogIntervalNanoseconds
        while true {
            guard let interval else {
                pause()
                continue
            }
            watchdog()
            var request = timespec(tv_sec: Int(interval / 1_000_000_000), tv_nsec: Int(interval % 1_000_000_000))
            var remaining = timespec()
            while nanosleep(&request, &remaining) != 0, errno == EINTR { request = remaining }
        }
    }

    static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }

    /// One datagram to `$NOTIFY_SOCKET`; false when the variable is unset, malformed or the send failed.
    static func send(_ message: String) -> Bool {
        guard let path = environment("NOTIFY_SOCKET"), path.hasPrefix("/") || path.hasPrefix("@") else { return false }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (bytes[0] == 0 ? 0 : 1))
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let payload = Array(message.utf8)
        let sent = payload.withUnsafeBytes { buffer in
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL), $0, length)
                }
            }
        }
        return sent == payload.count
    }
}
