import Foundation
import Glibc
import Testing

/// The real agent with the keys Octavia's controller writes into `amphora-agent.conf`: `[DEFAULT]
/// debug` and `use_syslog` with the administrative facility (lines received on a syslog socket this
/// test binds), `agent_tls_protocol` (handshakes with curl limited to older versions).
@Suite("operator configuration", .serialized, .timeLimit(.minutes(4)))
struct OperatorConfigurationTests {
    /// A Unix datagram socket standing in for rsyslog's input (0666, as rsyslog creates it).
    final class SyslogReceiver {
        let path: String
        let fd: Int32

        init(directory: String) throws {
            path = directory + "/syslog.sock"
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { buffer in
                for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard bound == 0 else { throw HarnessError("cannot bind \(path)") }
            chmod(path, 0o666)
            var timeout = timeval(tv_sec: 1, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        deinit { close(fd) }

        /// Collects datagrams until `enough` holds for them or 60 s have passed.
        func collect(until enough: ([String]) -> Bool) -> [String] {
            var lines: [String] = []
            let deadline = Date().addingTimeInterval(60)
            var buffer = [UInt8](repeating: 0, count: 65536)
            while Date() < deadline, !enough(lines) {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n > 0 { lines.append(String(decoding: buffer[0..<n], as: UTF8.self)) }
            }
            return lines
        }
    }

    @Test("use_syslog with administrative_log_facility = 3: helper and front lines reach the syslog socket as local3; debug lines too")
    func syslogWithTheAdministrativeFacility() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("syslog-it-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        chmod(scratch, 0o755)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let receiver = try SyslogReceiver(directory: scratch)
        // As Octavia's template writes it, but the facility number changed and the socket the test's.
        let agent = try AgentHarness(extraConfig: """
            syslog_socket = \(receiver.path)
            [DEFAULT]
            debug = True
            use_syslog = True
            [haproxy_amphora]
            administrative_log_facility = 3
            user_log_facility = 2
            [amphora_agent]
            agent_tls_protocol = TLSv1.2
            amphora_udp_driver = keepalived_lvs
            """)
        // Read while the agent starts: the audit records the helper forwards at start (amphora-audit)
        // would otherwise fill the socket's queue before the first read, and later lines be dropped.
        let started = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var startError: (any Error)?
        DispatchQueue.global().async {
            do { try agent.start() } catch { startError = error }
            started.signal()
        }
        defer { agent.stop() }
        let lines = receiver.collect { lines in
            lines.contains { $0.contains(" amphora-front[") && $0.contains("front serving") }
                && lines.contains { $0.contains(" amphora-helper[") && $0.contains("helper ready") }
                && lines.contains { $0.hasPrefix("<159>") }
        }
        started.wait()
        if let startError { throw startError }
        // local3 = 19: priorities 152 (emergency) to 159 (debug); the audit records come as amphora-audit.
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.range(of: #"^<15[2-9]>[A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d amphora-(helper|front|audit)\[\d+\]: "#, options: .regularExpression) != nil }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("<158>") && $0.contains("amphora-front: front serving") }, "info from the confined front")
        #expect(lines.contains { $0.hasPrefix("<158>") && $0.contains("amphora-helper: helper ready") })
        #expect(lines.contains { $0.hasPrefix("<159>") && $0.contains("configuration read") }, "debug = True: debug lines")
        #expect(lines.contains { $0.hasPrefix("<159>") && $0.contains("settings received from the helper") })
        // Every key of the controller's template is read: no warning about any of them.
        #expect(!agent.log().contains("is not used by this agent"), "\(agent.log())")
        #expect(!lines.contains { $0.contains("is not used by this agent") })
    }

    @Test("agent_tls_protocol: TLSv1.3 refuses a TLS 1.2 client; the default takes it; TLSv1.1 still means TLS 1.2 at least, with a warning")
    func tlsMinimum() throws {
        let strict = try AgentHarness(extraConfig: "[amphora_agent]\nagent_tls_protocol = TLSv1.3\n")
        try strict.start()
        #expect(throws: HarnessError.self, "a TLS 1.2 handshake is refused") {
            try strict.request("GET", "/", extraCurlArguments: ["--tls-max", "1.2"])
        }
        #expect(try strict.request("GET", "/", extraCurlArguments: ["--tlsv1.3"]).status == 200)
        strict.stop()

        let standard = try AgentHarness()
        try standard.start()
        #expect(try standard.request("GET", "/", extraCurlArguments: ["--tls-max", "1.2"]).status == 200)
        standard.stop()

        let old = try AgentHarness(extraConfig: "[amphora_agent]\nagent_tls_protocol = TLSv1.1\n")
        try old.start()
        defer { old.stop() }
        #expect(throws: HarnessError.self, "TLS 1.1 stays refused") {
            try old.request("GET", "/", extraCurlArguments: ["--tlsv1.1", "--tls-max", "1.1", "--ciphers", "DEFAULT@SECLEVEL=0"])
        }
        #expect(try old.request("GET", "/", extraCurlArguments: ["--tls-max", "1.2"]).status == 200)
        #expect(old.log().contains("agent_tls_protocol = TLSv1.1 is below this agent's minimum; TLSv1.2 is the minimum used"))
    }

    @Test("a server certificate the helper cannot use stops the agent at start with one line, before the helper starts")
    func unusableServerCertificate() throws {
        let agent = try AgentHarness()
        let bogus = agent.directory + "/bogus.pem"
        try "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n".write(toFile: bogus, atomically: true, encoding: .utf8)
        let config = try String(contentsOfFile: agent.configPath, encoding: .utf8)
        let lines = config.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("agent_server_cert") ? "agent_server_cert = \(bogus)" : String(line)
        }
        try lines.joined(separator: "\n").write(toFile: agent.configPath, atomically: true, encoding: .utf8)
        #expect(throws: HarnessError.self, "the agent must not start") { try agent.start() }
        let status = agent.stop()
        #expect(status != 0)
        let log = agent.log()
        #expect(log.split(separator: "\n").contains { $0.hasPrefix("amphora-agent: ") && !$0.hasPrefix("amphora-agent: warning") }, "\(log)")
        #expect(!log.contains("helper ready"), "the helper started: \(log)")
    }
}
