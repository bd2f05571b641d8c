import Glibc
import LinuxSystem
import Logging

/// Sends log lines as syslog datagrams (RFC 3164, as glibc's `syslog(3)` writes them:
/// `<PRI>Mmm dd hh:mm:ss ident[pid]: message`) to a local Unix datagram socket, with the facility of
/// `[DEFAULT] syslog_log_facility`, so that the rsyslog rules Octavia's controller installs for log
/// offloading (`local<administrative_log_facility>.* call admin_forwarding`) pick them up, as they
/// pick up upstream's agent.
///
/// The socket is connected when the sink is opened (before the process confines itself); a send that
/// fails because the receiver went away reconnects once (socket and connect are in both seccomp
/// allow-lists). Sends never block: a line the receiver has no room for is dropped (the journal
/// still has it).
public final class SyslogSink: Sendable {
    /// The longest line sent; longer messages are cut (rsyslog's default maximum is 8 KiB).
    public static let maximumLineLength = 8000

    /// The socket's path.
    public let path: String
    /// The facility number (`LOG_LOCAL1` is 17).
    public let facility: Int
    /// The tag (`amphora-helper`, `amphora-front`).
    public let ident: String
    private let descriptor: LockedValue<Int32>

    /// Opens a sink on the first of `candidates` that exists as a socket, or nil when none does.
    /// `configured` (the `[privsep] syslog_socket` value) is used alone when not empty.
    public static func open(configured: String, candidates: [String], facility: Int, ident: String) -> SyslogSink? {
        let paths = configured.isEmpty ? candidates : [configured]
        for path in paths {
            var status = stat()
            if stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFSOCK {
                return SyslogSink(path: path, facility: facility, ident: ident)
            }
        }
        return nil
    }

    /// A sink on `path`; connects at once (a failed connect is retried at the next line).
    public init(path: String, facility: Int, ident: String) {
        self.path = path
        self.facility = facility
        self.ident = ident
        tzset()
        descriptor = LockedValue(Self.connect(path))
    }

    deinit {
        let fd = descriptor.withLock { $0 }
        if fd >= 0 { close(fd) }
    }

    static func connect(_ path: String) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return -1 }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(fd)
            return -1
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            return -1
        }
        return fd
    }

    /// The syslog severity of a level (`<N>` without the facility).
    public static func severity(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    /// The datagram for one line: `<PRI>Mmm dd hh:mm:ss ident[pid]: text`, newlines replaced by blanks.
    public func datagram(level: Logger.Level, text: String, time: time_t = time(nil), pid: Int32 = getpid()) -> [UInt8] {
        var when = time
        var parts = tm()
        localtime_r(&when, &parts)
        var stamp = [CChar](repeating: 0, count: 32)
        let length = strftime(&stamp, stamp.count, "%b %e %H:%M:%S", &parts)
        let timestamp = String(decoding: stamp[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let head = "<\(facility * 8 + Self.severity(level))>\(timestamp) \(ident)[\(pid)]: "
        var bytes = Array(head.utf8)
        // Control bytes (newlines, carriage returns, escapes) become spaces: one record, one line.
        bytes += text.utf8.prefix(Self.maximumLineLength).map { $0 < 0x20 || $0 == 0x7F ? UInt8(ascii: " ") : $0 }
        return bytes
    }

    /// Sends one line; reconnects once when the receiver went away. Never blocks, never fails loudly.
    public func send(level: Logger.Level, text: String) {
        let bytes = datagram(level: level, text: text)
        descriptor.withLock { fd in
            for attempt in 0..<2 {
                if fd < 0 { fd = Self.connect(path) }
                guard fd >= 0 else { return }
                let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL)) }
                if sent >= 0 { return }
                let code = errno
                // The receiver restarted (a new socket at the path): connect again, once.
                guard attempt == 0, code == ECONNREFUSED || code == ENOTCONN || code == ENOENT || code == EBADF else { return }
                close(fd)
                fd = -1
            }
        }
    }
}
