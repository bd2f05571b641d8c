import Glibc
import Logging

/// Log lines for systemd's journal: when standard error is the journal's stream (`$JOURNAL_STREAM`
/// names its device and inode), every line starts with its syslog priority (`<4>` for a warning,
/// sd-daemon(3)), so journald stores each message at its own priority and `journalctl -p warning`
/// shows warnings and worse only. Journald adds the time and the unit, so the line carries just the
/// label, the message and the metadata. One `write(2)` per line (no interleaving between threads).
public struct JournalLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    let label: String

    public init(label: String) {
        self.label = label
    }

    /// Bootstraps the logging system: this handler under systemd's journal, swift-log's stream
    /// handler on standard error otherwise (a terminal, a file, the standalone agent's pipe), each
    /// wrapped in a ``ConfiguredLogHandler`` (level and syslog from ``LogSettings``).
    public static func bootstrap() {
        if standardErrorIsJournal() {
            LoggingSystem.bootstrap { ConfiguredLogHandler(label: $0, inner: JournalLogHandler(label: $0)) }
        } else {
            LoggingSystem.bootstrap { ConfiguredLogHandler(label: $0, inner: StreamLogHandler.standardError(label: $0)) }
        }
    }

    /// True when descriptor 2 is the stream `$JOURNAL_STREAM` names (`<device>:<inode>`).
    static func standardErrorIsJournal() -> Bool {
        guard let value = getenv("JOURNAL_STREAM") else { return false }
        let parts = String(cString: value).split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var st = stat()
        guard fstat(2, &st) == 0 else { return false }
        return UInt64(st.st_dev) == device && UInt64(st.st_ino) == inode
    }

    /// The syslog priority journald reads from the `<N>` prefix.
    static func priority(_ level: Logger.Level) -> Int { SyslogSink.severity(level) }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        var text = "<\(Self.priority(event.level))>\(label): \(event.message)"
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) { text += " \(key)=\(value)" }
        // One line per message: a newline inside would start a line at the default priority.
        var bytes = Array(text.utf8).map { $0 == UInt8(ascii: "\n") ? UInt8(ascii: " ") : $0 }
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if n > 0 { offset += n } else if n < 0, errno == EINTR { continue } else { return }
            }
        }
    }
}
