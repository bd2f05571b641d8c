import AgentLogging
import Foundation
import Glibc
import LinuxSystem
import Logging
import Testing

/// `use_syslog`: the agent's log lines as syslog datagrams with the configured facility, received on
/// a real Unix datagram socket; `debug` decides the level. (The whole agent doing it: OperatorConfigurationTests.)
@Suite("syslog logging", .serialized)
struct SyslogLoggingTests {
    /// A bound datagram socket in a fresh directory.
    final class Receiver {
        let directory: String
        let path: String
        var fd: Int32 = -1

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("syslog-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            path = directory + "/log"
            try bind()
        }

        func bind() throws {
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            guard let address = UnixSocketAddress(path: path) else { throw CocoaError(.fileWriteUnknown) }
            try address.bind(fd)
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        /// The receiver goes away and comes back (rsyslog restarted): a new socket at the same path.
        func rebind() throws {
            close(fd)
            unlink(path)
            try bind()
        }

        /// The next datagram, or nil after the timeout.
        func next() -> String? {
            var buffer = [UInt8](repeating: 0, count: 65536)
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : nil
        }

        deinit {
            close(fd)
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    func logger(_ label: String) -> Logger {
        Logger(label: label) { ConfiguredLogHandler(label: $0, inner: SwiftLogNoOpLogHandler()) }
    }

    @Test("lines carry <facility*8+severity>, a timestamp and ident[pid]; debug follows the setting; the sink reconnects")
    func datagrams() throws {
        let receiver = try Receiver()
        defer { LogSettings.apply(debug: false, syslog: nil) }
        let sink = try #require(SyslogSink.open(configured: receiver.path, candidates: [], facility: 19, ident: "amphora-test"))
        LogSettings.apply(debug: false, syslog: sink)
        let log = logger("amphora-test")
        log.debug("not sent at info level")
        log.warning("one warning", metadata: ["key": "value"])
        let warning = try #require(receiver.next())
        // LOG_LOCAL3 (19) * 8 + warning (4) = 156.
        let pattern = #"^<156>[A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d amphora-test\[\#(getpid())\]: amphora-test: one warning key=value$"#
        #expect(warning.range(of: pattern, options: .regularExpression) != nil, "\(warning)")

        LogSettings.apply(debug: true, syslog: sink)
        #expect(log.logLevel == .debug)
        log.debug("now sent\nwith a second line")
        let debug = try #require(receiver.next())
        #expect(debug.hasPrefix("<159>"), "LOG_LOCAL3 * 8 + debug (7): \(debug)")
        #expect(debug.hasSuffix("amphora-test: now sent with a second line"))

        try receiver.rebind()
        log.error("after the receiver restarted")
        let error = try #require(receiver.next())
        #expect(error.hasPrefix("<155>") && error.hasSuffix("after the receiver restarted"))

        // A level set on a logger stays.
        var quiet = logger("quiet")
        quiet.logLevel = .error
        #expect(quiet.logLevel == .error)
    }

    @Test("the automatic socket: the first candidate that is a socket; none when none is")
    func automaticSocket() throws {
        let receiver = try Receiver()
        let missing = receiver.directory + "/absent"
        let file = receiver.directory + "/file"
        _ = FileManager.default.createFile(atPath: file, contents: Data())
        #expect(SyslogSink.open(configured: "", candidates: [missing, file, receiver.path], facility: 17, ident: "t")?.path == receiver.path)
        #expect(SyslogSink.open(configured: "", candidates: [missing, file], facility: 17, ident: "t") == nil)
        #expect(SyslogSink.open(configured: file, candidates: [receiver.path], facility: 17, ident: "t") == nil, "a configured path is used alone")
    }
}
