import Foundation
import Testing

@testable import AgentConfig

/// The `amphora-agent.conf` of a real upstream amphora.
private let upstreamSample = """
    [DEFAULT]
    debug = False
    [haproxy_amphora]
    base_cert_dir = /var/lib/octavia/certs
    base_path = /var/lib/octavia
    bind_host = ::
    bind_port = 9443
    haproxy_cmd = /usr/sbin/haproxy
    respawn_count = 2
    respawn_interval = 2
    use_upstart = False
    user_log_facility = 0
    administrative_log_facility = 1
    [health_manager]
    controller_ip_port_list = 192.0.2.10:5555, [2001:db8::10]:5555
    heartbeat_interval = 10
    heartbeat_key = insecure
    [amphora_agent]
    agent_server_ca = /etc/octavia/certs/client_ca.pem
    agent_server_cert = /etc/octavia/certs/server.pem
    agent_server_network_dir = /etc/octavia/interfaces/
    agent_request_read_timeout = 180
    amphora_id = 7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b
    amphora_udp_driver = keepalived_lvs
    agent_tls_protocol = TLSv1.2
    [controller_worker]
    loadbalancer_topology = SINGLE

    """

private let amphoraID = "7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b"

/// Octavia 19.0.0's `amphora_agent_conf.template`, rendered by its own `AgentJinjaTemplater` logic
/// (jinja2 from /var/tmp/amphora-bench-venv) with `debug = True`, a host-name controller and the
/// default facilities: every key in it must be read without a warning.
private let renderedTemplate = """

    [DEFAULT]
    debug = True
    use_syslog = True
    syslog_log_facility = LOG_LOCAL1

    [haproxy_amphora]
    base_cert_dir = /var/lib/octavia/certs
    base_path = /var/lib/octavia
    bind_host = ::
    bind_port = 9443
    haproxy_cmd = /usr/sbin/haproxy
    user_log_facility = 0
    administrative_log_facility = 1

    [health_manager]
    controller_ip_port_list = 192.0.2.10:5555, [2001:db8::10]:5555, controller-1.example.org:5555
    heartbeat_interval = 10
    heartbeat_key = insecure

    [amphora_agent]
    agent_server_ca = /etc/octavia/certs/client_ca.pem
    agent_server_cert = /etc/octavia/certs/server.pem
    agent_server_network_dir = /etc/octavia/interfaces/
    agent_request_read_timeout = 180
    amphora_id = 7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b
    amphora_udp_driver = keepalived_lvs
    agent_tls_protocol = TLSv1.2

    [controller_worker]
    loadbalancer_topology = ACTIVE_STANDBY
    """

private func syntaxError(_ text: String) -> ConfigError? {
    do {
        _ = try INIDocument(parsing: text, source: "/etc/x.conf")
        return nil
    } catch {
        return error
    }
}

private func configError(_ text: String, source: String = "/etc/x.conf") -> ConfigError? {
    do {
        _ = try AgentConfiguration.parse(text: text, source: source)
        return nil
    } catch {
        return error
    }
}

/// Run with `swift test --filter AgentConfigTests`.
@Suite("AgentConfig")
struct AgentConfigTests {}

extension AgentConfigTests {
    @Suite("INI parsing")
    struct INI {
        @Test func commentsBlankLinesSeparatorsAndWhitespace() throws {
            let doc = try INIDocument(parsing: """
                # a comment
                ; another comment

                [first]
                  \t
                a = 1
                b: two words\t
                c=3
                d :4
                e = value = with = equals
                f: value: with: colons
                g = a # not a comment
                empty =
                [Second]
                a = other
                """)
            #expect(doc.sectionNames == ["first", "Second"])
            #expect(doc.value("first", "a") == "1")
            #expect(doc.value("first", "b") == "two words")
            #expect(doc.value("first", "c") == "3")
            #expect(doc.value("first", "d") == "4")
            #expect(doc.value("first", "e") == "value = with = equals")
            #expect(doc.value("first", "f") == "value: with: colons")
            #expect(doc.value("first", "g") == "a # not a comment")
            #expect(doc.value("first", "empty") == "")
            #expect(doc.value("Second", "a") == "other")
            #expect(doc.value("second", "a") == nil)
            #expect(doc.value("first", "missing") == nil)
            #expect(doc.entry("first", "c")?.line == 8)
            #expect(doc.section("Second")?.line == 14)
            #expect(doc.sections == [
                "first": ["a": "1", "b": "two words", "c": "3", "d": "4", "e": "value = with = equals",
                          "f": "value: with: colons", "g": "a # not a comment", "empty": ""],
                "Second": ["a": "other"],
            ])
        }

        @Test func continuationLinesJoinWithNewline() throws {
            let doc = try INIDocument(parsing: """
                [s]
                key = first
                   second
                \tthird
                after = x

                multi =
                  one
                  two

                other = y
                """)
            #expect(doc.value("s", "key") == "first\nsecond\nthird")
            #expect(doc.entry("s", "key")?.line == 2)
            #expect(doc.value("s", "after") == "x")
            #expect(doc.value("s", "multi") == "\none\ntwo")
            #expect(doc.value("s", "other") == "y")
        }

        @Test func duplicateKeyLastWinsAndSectionsMerge() throws {
            let doc = try INIDocument(parsing: "[s]\na = 1\nb = 2\n[t]\nx = 1\n[s]\na = 3\n")
            #expect(doc.value("s", "a") == "3")
            #expect(doc.entry("s", "a")?.line == 7)
            #expect(doc.section("s")?.entries.map(\.key) == ["a", "b"])
            #expect(doc.sectionNames == ["s", "t"])
            #expect(doc.section("s")?.line == 1)
        }

        @Test func quotesLineEndingsAndBOM() throws {
            let doc = try INIDocument(parsing: "\u{FEFF}[s]\r\na = \"  spaced  \"\r\nb = 'x'\rc = \"mixed'\nd = \"\n")
            #expect(doc.value("s", "a") == "  spaced  ")
            #expect(doc.value("s", "b") == "x")
            #expect(doc.value("s", "c") == "\"mixed'")
            #expect(doc.value("s", "d") == "")
            #expect(doc.entry("s", "c")?.line == 4)
        }

        @Test(arguments: [
            ("debug = False\n[DEFAULT]\n", #"config /etc/x.conf line 1: "debug" is set before any [section] header"#),
            ("[s]\na = 1\njust words\n", #"config /etc/x.conf line 3: expected "key = value""#),
            ("# c\n[s\n", #"config /etc/x.conf line 2: section header without a closing "]""#),
            ("[ ]\n", "config /etc/x.conf line 1: empty section name"),
            ("[s]\n= 1\n", #"config /etc/x.conf line 2: empty key before "=""#),
            ("  indented = 1\n", #"config /etc/x.conf line 1: continuation line (starts with a blank) with no "key = value" before it"#),
            ("[s]\n# c\n  continued\n", #"config /etc/x.conf line 3: continuation line (starts with a blank) with no "key = value" before it"#),
        ])
        func syntaxErrorsNameTheLine(text: String, message: String) throws {
            let error = try #require(syntaxError(text))
            #expect(error.description == message)
            #expect(error.source == "/etc/x.conf")
            #expect(error.line != nil)
        }
    }
}

extension AgentConfigTests {
    @Suite("Typed configuration")
    struct Typed {
        @Test func upstreamSampleParses() throws {
            let (config, warnings) = try AgentConfiguration.parse(text: upstreamSample, source: "/etc/x.conf")
            #expect(config.amphoraID == amphoraID)
            #expect(config.agentServerCA == "/etc/octavia/certs/client_ca.pem")
            #expect(config.agentServerCert == "/etc/octavia/certs/server.pem")
            #expect(config.agentRequestReadTimeout == 180)
            #expect(config.basePath == "/var/lib/octavia")
            #expect(config.baseCertDir == "/var/lib/octavia/certs")
            #expect(config.bindHost == "::")
            #expect(config.bindPort == 9443)
            #expect(config.haproxyCmd == "/usr/sbin/haproxy")
            #expect(config.controllerIPPortList == [
                ControllerEndpoint(host: "192.0.2.10", port: 5555),
                ControllerEndpoint(host: "2001:db8::10", port: 5555),
            ])
            #expect(config.controllerIPPortList.map(\.description) == ["192.0.2.10:5555", "[2001:db8::10]:5555"])
            #expect(config.heartbeatInterval == 10)
            #expect(config.heartbeatKey == "insecure")
            #expect(config.loadbalancerTopology == "SINGLE")
            #expect(config.frontUser == "amphora-front")
            #expect(config.helperSocket == "/run/amphora-agent/helper.sock")
            #expect(config.auditLog == "/var/log/amphora-agent/audit.jsonl")
            #expect(config.netns == "amphora-haproxy")
            #expect(config.serviceManager == .systemd)
            #expect(config.keepalivedCmd == "/usr/sbin/keepalived")
            #expect(config.debug == false)
            #expect(config.useSyslog == false)
            #expect(config.userLogFacility == 0 && config.administrativeLogFacility == 1)
            #expect(config.agentTLSProtocol == .tlsv12)
            #expect(config.agentServerNetworkDir == "/etc/octavia/interfaces/")
            #expect(config.amphoraUDPDriver == "keepalived_lvs")
            // Only the keys of older upstream releases are left over.
            #expect(warnings == [
                "config /etc/x.conf line 9: [haproxy_amphora] respawn_count is not used by this agent; ignored",
                "config /etc/x.conf line 10: [haproxy_amphora] respawn_interval is not used by this agent; ignored",
                "config /etc/x.conf line 11: [haproxy_amphora] use_upstart is not used by this agent; ignored",
            ])
            // The document initialiser gives the same configuration.
            let document = try INIDocument(parsing: upstreamSample)
            #expect(try AgentConfiguration(document: document, source: "/etc/x.conf") == config)
        }

        @Test func defaultsAndPrivsepSection() throws {
            let (config, warnings) = try AgentConfiguration.parse(text: """
                [amphora_agent]
                amphora_id = \(amphoraID)
                [privsep]
                front_user = _front-1
                helper_socket = /tmp/t1/helper.sock
                audit_log = /tmp/t1/audit.jsonl
                netns = ns_1.test
                service_manager = direct
                keepalived_cmd = /opt/bin/keepalived
                [oslo_messaging]
                [keepalived_lvs]
                """, source: "t.conf")
            #expect(config == (try AgentConfiguration(
                amphoraID: amphoraID, frontUser: "_front-1", helperSocket: "/tmp/t1/helper.sock",
                auditLog: "/tmp/t1/audit.jsonl", netns: "ns_1.test", serviceManager: .direct,
                keepalivedCmd: "/opt/bin/keepalived")))
            #expect(config.bindHost == "::")
            #expect(config.bindPort == 9443)
            #expect(config.controllerIPPortList.isEmpty)
            #expect(config.heartbeatKey == "")
            #expect(config.heartbeatInterval == 10)
            #expect(config.agentRequestReadTimeout == 180)
            #expect(warnings == [
                "config t.conf line 10: [oslo_messaging] is not used by this agent; ignored",
                "config t.conf line 11: [keepalived_lvs] is not used by this agent; ignored",
            ])
        }

        @Test(arguments: [
            "", " ", ",", "192.0.2.1:1,", " 192.0.2.1:1 ,  [::1]:65535 , 10.0.0.1:5555",
            "[::ffff:192.0.2.1]:9", "[fe80::1:2:3:4]:70",
        ])
        func acceptedEndpointLists(value: String) throws {
            let (config, _) = try AgentConfiguration.parse(
                text: "[amphora_agent]\namphora_id = \(amphoraID)\n[health_manager]\ncontroller_ip_port_list = \(value)\n",
                source: "t.conf")
            let expected = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            #expect(config.controllerIPPortList.map(\.description) == expected)
        }

        /// Each of `values` in `[section] key` is refused for `reason`, and the error names it as written.
        static func refused(_ section: String, _ key: String, _ reason: String, _ values: [String])
            -> [(String, String, String, String, String)]
        {
            values.map { (section, key, $0, $0, reason) }
        }

        static let ipPort = "is not ip:port, [ipv6]:port or hostname:port (port 1-65535)"
        static let facility = "is not a LOG_LOCAL facility number (0-7)"
        static let absolute = "is not an absolute path"

        /// (section, key, value in the file, value named in the error, reason).
        static let invalidValues: [(String, String, String, String, String)] = [
            refused("haproxy_amphora", "bind_port", "is not a port number (1-65535)", ["abc", "0", "65536", "-1", "+80", ""]),
            refused(
                "haproxy_amphora", "bind_host", "is not an IP address (an IPv4 or IPv6 literal, without brackets)",
                ["localhost", "[::]", "1.2.3.256", "1::2::3"]),
            refused("haproxy_amphora", "base_path", absolute, ["var/lib/octavia"]),
            refused("haproxy_amphora", "haproxy_cmd", #"contains a ".." component"#, ["/usr/sbin/../bin/sh"]),
            refused("haproxy_amphora", "base_cert_dir", #"contains a ".." component"#, ["/var/lib/.."]),
            refused("amphora_agent", "agent_server_ca", absolute, ["certs/ca.pem"]),
            refused("amphora_agent", "agent_server_cert", "contains a control character (NUL, newline...)", ["/etc/a\u{0}b"]),
            refused(
                "amphora_agent", "amphora_id", "is not a canonical lowercase UUID (8-4-4-4-12 hexadecimal digits)",
                [
                    "7B8C5E4E-4A3B-4F7E-9A3E-0C1D2E3F4A5B", "7b8c5e4e4a3b4f7e9a3e0c1d2e3f4a5b",
                    "7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5g",
                ]),
            refused("amphora_agent", "agent_request_read_timeout", "is not a number of seconds (1-3600)", ["0"]),
            refused("health_manager", "heartbeat_interval", "is not a number of seconds (1-3600)", ["3601"]),
            refused("health_manager", "controller_ip_port_list", ipPort, ["1.2.3.4"]),
            // In a list, the error names the entry at fault.
            [("health_manager", "controller_ip_port_list", "192.0.2.1:5555, [::1]", "[::1]", ipPort)],
            refused(
                "health_manager", "controller_ip_port_list", ipPort,
                ["1.2.3.4:0", "2001:db8::1:5555", "-controller:5555", "192.0.2.300:5555", "contr_oller:5555"]),
            refused("DEFAULT", "debug", "is not a boolean (true/false, yes/no, on/off, 1/0)", ["maybe"]),
            refused("DEFAULT", "use_syslog", "is not a boolean (true/false, yes/no, on/off, 1/0)", [""]),
            refused(
                "DEFAULT", "syslog_log_facility",
                "is not a syslog facility (LOG_USER, LOG_DAEMON, LOG_LOCAL0 ... LOG_LOCAL7 and the like)", ["LOG_LOCAL8"]),
            refused("haproxy_amphora", "administrative_log_facility", facility, ["8"]),
            refused("haproxy_amphora", "user_log_facility", facility, ["local0"]),
            refused("amphora_agent", "administrative_log_facility", facility, ["-1"]),
            refused(
                "amphora_agent", "agent_tls_protocol", "is not one of SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3", ["TLSv1.4", "tlsv1.2"]),
            refused("amphora_agent", "agent_server_network_dir", absolute, ["interfaces"]),
            refused("privsep", "syslog_socket", "is not empty (automatic) or an absolute path of at most 107 bytes", ["log"]),
            refused("controller_worker", "loadbalancer_topology", "is not SINGLE or ACTIVE_STANDBY", ["single", "ACTIVE_ACTIVE"]),
            refused("privsep", "service_manager", "is not systemd or direct", ["upstart", "Systemd"]),
            refused(
                "privsep", "front_user", "is not a POSIX user name ([a-z_][a-z0-9_-]{0,31})",
                ["Front", "1front", String(repeating: "a", count: 33)]),
            refused(
                "privsep", "netns",
                "is not a network namespace name (1-15 characters from [A-Za-z0-9_.-], starting with a letter or digit, without ..)",
                ["-ns", "a-very-long-name", "a..b", "_ns", ".ns"]),
            refused(
                "privsep", "helper_socket", "is too long for a unix socket path (at most 103 bytes)", ["/" + String(repeating: "s", count: 103)]),
            refused("privsep", "audit_log", absolute, ["audit.jsonl"]),
        ].flatMap { $0 }

        @Test(arguments: AgentConfigTests.Typed.invalidValues)
        func invalidValuesNameSectionKeyAndValue(
            section: String, key: String, written: String, named: String, reason: String
        ) throws {
            let id = key == "amphora_id" ? written : amphoraID
            var text = "[amphora_agent]\namphora_id = \(id)\n"
            if key != "amphora_id" { text += "[\(section)]\n\(key) = \(written)\n" }
            let error = try #require(configError(text))
            #expect(error.problem == .invalidValue(section: section, key: key, value: named, reason: reason))
            #expect(error.line == (key == "amphora_id" ? 2 : 4))
            let escaped = named.replacingOccurrences(of: "\u{0}", with: "\\u{0}")
            #expect(error.description == "config /etc/x.conf line \(error.line ?? 0): [\(section)] \(key): \"\(escaped)\" \(reason)")
        }

        @Test func exampleMessages() throws {
            let port = try #require(configError("[amphora_agent]\namphora_id = \(amphoraID)\n[haproxy_amphora]\nbind_port = abc\n"))
            #expect(port.description == #"config /etc/x.conf line 4: [haproxy_amphora] bind_port: "abc" is not a port number (1-65535)"#)
            let missing = try #require(configError(upstreamSample.replacingOccurrences(of: "amphora_id = ", with: "#")))
            #expect(missing.description == "config /etc/x.conf: [amphora_agent] amphora_id is required")
            #expect(missing.problem == .missingKey(section: "amphora_agent", key: "amphora_id"))
            #expect(configError("")?.problem == .missingKey(section: "amphora_agent", key: "amphora_id"))
            let early = try #require(configError("amphora_id = \(amphoraID)\n[amphora_agent]\n"))
            #expect(early.line == 1)
            #expect(early.description == #"config /etc/x.conf line 1: "amphora_id" is set before any [section] header"#)
        }

        @Test func heartbeatKeyIsNeverEchoed() throws {
            #expect(throws: ConfigError.self) {
                try AgentConfiguration(amphoraID: amphoraID, heartbeatKey: "secret\rkey")
            }
            do {
                _ = try AgentConfiguration(amphoraID: amphoraID, heartbeatKey: "secret\rkey")
            } catch {
                #expect(!error.description.contains("secret"))
                #expect(error.description.contains("[health_manager] heartbeat_key: (value hidden)"))
                #expect(error.source == "<arguments>")
            }
        }

        @Test func typedInitialiserValidatesLikeTheFile() throws {
            #expect(throws: ConfigError.self) { try AgentConfiguration(amphoraID: amphoraID, bindPort: 0) }
            #expect(throws: ConfigError.self) { try AgentConfiguration(amphoraID: amphoraID, basePath: "rel") }
            #expect(throws: ConfigError.self) {
                try AgentConfiguration(amphoraID: amphoraID, controllerIPPortList: [ControllerEndpoint(host: "example..org", port: 1)])
            }
            #expect(throws: ConfigError.self) { try AgentConfiguration(amphoraID: "nope") }
            let error = try #require(throws: ConfigError.self) {
                try AgentConfiguration(amphoraID: amphoraID, heartbeatInterval: -5)
            }
            #expect(error.description == #"config <arguments>: [health_manager] heartbeat_interval: "-5" is not a number of seconds (1-3600)"#)
        }

        @Test func renderedRoundTripsTheUpstreamSample() throws {
            let (config, _) = try AgentConfiguration.parse(text: upstreamSample, source: "a.conf")
            let text = config.rendered()
            let (again, warnings) = try AgentConfiguration.parse(text: text, source: "b.conf")
            #expect(again == config)
            #expect(warnings.isEmpty)
            #expect(text.contains("controller_ip_port_list = 192.0.2.10:5555, [2001:db8::10]:5555\n"))
            #expect(text.hasPrefix("[amphora_agent]\nagent_server_ca = /etc/octavia/certs/client_ca.pem\n"))
        }

        @Test(arguments: [
            "insecure", "", "  padded  ", "\"quoted\"", "'single'", "\"", "a = b: c # d ; e", "first\nsecond\nthird",
            "\nstarts on the next line", "  x\ny", "tab\there", "ünïcödé 🔑", "#hash", "[bracket]",
        ])
        func renderedRoundTripsAwkwardValues(heartbeatKey: String) throws {
            let config = try AgentConfiguration(
                amphoraID: amphoraID, agentServerCA: "/with space /ca.pem ", agentRequestReadTimeout: 3600,
                basePath: "/tmp/t 2", baseCertDir: "/tmp/t 2/certs", bindHost: "127.0.0.1", bindPort: 1,
                haproxyCmd: "/opt/h\"a", controllerIPPortList: [
                    ControllerEndpoint(host: "::1", port: 65535), ControllerEndpoint(host: "10.0.0.1", port: 5555),
                ],
                heartbeatInterval: 1, heartbeatKey: heartbeatKey, loadbalancerTopology: "ACTIVE_STANDBY",
                frontUser: "front", helperSocket: "/tmp/t2/h.sock", auditLog: "/tmp/t2/a.jsonl", netns: "ns2",
                serviceManager: .direct, keepalivedCmd: "/k")
            let (again, warnings) = try AgentConfiguration.parse(text: config.rendered(), source: "r.conf")
            #expect(again == config)
            #expect(again.heartbeatKey == heartbeatKey)
            #expect(warnings.isEmpty)
        }

        @Test func loadReadsAFileAndReportsUnreadableOnes() throws {
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("agentconfig-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("amphora-agent.conf")
            try Data(upstreamSample.utf8).write(to: file)

            let (config, warnings) = try AgentConfiguration.load(path: file.path)
            #expect(config.amphoraID == amphoraID)
            #expect(warnings.count == 3)
            #expect(warnings.allSatisfy { $0.hasPrefix("config \(file.path) line ") })

            let missing = directory.appendingPathComponent("absent.conf").path
            let error = try #require(throws: ConfigError.self) { try AgentConfiguration.load(path: missing) }
            #expect(error.description == "config \(missing): cannot read: No such file or directory")

            let dirError = try #require(throws: ConfigError.self) { try AgentConfiguration.load(path: directory.path) }
            #expect(dirError.description == "config \(directory.path): cannot read: Is a directory")

            let binary = directory.appendingPathComponent("bad.conf")
            try Data([0x5B, 0xFF, 0x5D]).write(to: binary)
            let utf8Error = try #require(throws: ConfigError.self) { try AgentConfiguration.load(path: binary.path) }
            #expect(utf8Error.description == "config \(binary.path): cannot read: not valid UTF-8")
        }

        @Test(arguments: [
            ("192.0.2.10:5555", "192.0.2.10", 5555),
            (" [2001:db8::10]:5555 ", "2001:db8::10", 5555),
            ("[::]:1", "::", 1),
            ("controller-1.example.org:5555", "controller-1.example.org", 5555),
            ("localhost:9", "localhost", 9),
            ("HM.Example.ORG.:5555", "HM.Example.ORG.", 5555),
            ("1a.example:5", "1a.example", 5),
        ])
        func endpointParsing(text: String, host: String, port: Int) throws {
            let endpoint = try #require(ControllerEndpoint(parsing: text))
            #expect(endpoint == ControllerEndpoint(host: host, port: port))
            #expect(endpoint.isValid)
            #expect(ControllerEndpoint(parsing: endpoint.description) == endpoint)
            let json = try JSONEncoder().encode(endpoint)
            #expect(try JSONDecoder().decode(ControllerEndpoint.self, from: json) == endpoint)
        }

        @Test(arguments: [
            "1.2.3.4", "[::1]", "::1:5", "[1.2.3.4]:5", "1.2.3.4:", "1.2.3.4:65536", "[::1]x:5", "[::1:5", "01.2.3.4:5",
            "[controller]:5", "a..b:5", "a-.b:5", "1.2.3.999:5", "host name:5", ":5", "\(String(repeating: "a", count: 64)).org:5",
        ])
        func endpointRejects(text: String) {
            #expect(ControllerEndpoint(parsing: text) == nil)
        }

        @Test func octaviasRenderedTemplateLoadsWithoutAWarning() throws {
            let (config, warnings) = try AgentConfiguration.parse(text: renderedTemplate, source: "/etc/octavia/amphora-agent.conf")
            #expect(warnings.isEmpty, "\(warnings)")
            #expect(config.debug)
            #expect(config.useSyslog)
            #expect(config.syslogLogFacility == SyslogFacility(parsing: "LOG_LOCAL1"))
            #expect(config.syslogFacility.code == 17)
            #expect(config.userLogFacility == 0 && config.administrativeLogFacility == 1)
            #expect(config.agentTLSProtocol == .tlsv12 && config.agentTLSProtocol.effectiveMinimum == .tlsv12)
            #expect(config.controllerIPPortList.map(\.description) == [
                "192.0.2.10:5555", "[2001:db8::10]:5555", "controller-1.example.org:5555",
            ])
            #expect(config.controllerIPPortList.map(\.isHostName) == [false, false, true])
            #expect(config.loadbalancerTopology == "ACTIVE_STANDBY")
            #expect(config.syslogSocket == "")
            // Rendered back, it reads the same, still without a warning.
            let (again, more) = try AgentConfiguration.parse(text: config.rendered(), source: "r.conf")
            #expect(again == config)
            #expect(more.isEmpty)
        }

        @Test func loggingKeysFollowOslo() throws {
            func parse(_ text: String) throws -> (AgentConfiguration, [String]) {
                try AgentConfiguration.parse(text: "[amphora_agent]\namphora_id = \(amphoraID)\n" + text, source: "t.conf")
            }
            for (value, expected) in [("true", true), ("Yes", true), ("ON", true), ("1", true), ("False", false), ("no", false), ("off", false), ("0", false)] {
                #expect(try parse("[DEFAULT]\ndebug = \(value)\n").0.debug == expected, "\(value)")
            }
            // Without syslog_log_facility the lines carry LOG_LOCAL<administrative_log_facility>.
            let (local5, _) = try parse("[haproxy_amphora]\nadministrative_log_facility = 5\n")
            #expect(local5.syslogFacility.code == 21)
            #expect(local5.useSyslog == false)
            // Upstream's agent reads the facilities from [amphora_agent]: that section wins.
            let (both, warnings) = try parse("[haproxy_amphora]\nadministrative_log_facility = 5\nuser_log_facility = 2\n[amphora_agent]\nadministrative_log_facility = 3\n")
            #expect(both.administrativeLogFacility == 3 && both.userLogFacility == 2)
            #expect(warnings.isEmpty)
            for (name, code) in [("LOG_USER", 1), ("daemon", 3), ("local7", 23), ("Log_Local0", 16), ("LOG_AUTHPRIV", 10)] {
                #expect(try parse("[DEFAULT]\nsyslog_log_facility = \(name)\n").0.syslogFacility.code == code, "\(name)")
            }
            for name in ["LOCAL", "LOG_", "local 1", "17", "LOG_LOCAL1 "] {
                #expect(SyslogFacility(parsing: name) == nil, "\(name)")
            }
        }

        @Test func tlsProtocolBelowTheFloorLoadsWithOneWarning() throws {
            for value in ["SSLv3", "TLSv1", "TLSv1.1"] {
                let (config, warnings) = try AgentConfiguration.parse(
                    text: "[amphora_agent]\namphora_id = \(amphoraID)\nagent_tls_protocol = \(value)\n", source: "t.conf")
                #expect(config.agentTLSProtocol.rawValue == value)
                #expect(config.agentTLSProtocol.effectiveMinimum == .tlsv12)
                #expect(warnings == [
                    "config t.conf line 3: [amphora_agent] agent_tls_protocol = \(value) is below this agent's minimum; TLSv1.2 is the minimum used",
                ])
            }
            let (strict, none) = try AgentConfiguration.parse(
                text: "[amphora_agent]\namphora_id = \(amphoraID)\nagent_tls_protocol = TLSv1.3\n", source: "t.conf")
            #expect(strict.agentTLSProtocol.effectiveMinimum == .tlsv13)
            #expect(none.isEmpty)
            let (_, driver) = try AgentConfiguration.parse(
                text: "[amphora_agent]\namphora_id = \(amphoraID)\namphora_udp_driver = other\n", source: "t.conf")
            #expect(driver == [
                "config t.conf line 3: [amphora_agent] amphora_udp_driver = \"other\" is not available; UDP and SCTP listeners run on keepalived_lvs",
            ])
        }

        @Test(arguments: [
            ("::", true), ("::1", true), ("0.0.0.0", true), ("192.0.2.1", true), ("2001:db8::10", true),
            ("1:2:3:4:5:6:7:8", true), ("1:2:3:4:5:6:7::", true), ("::ffff:192.0.2.1", true),
            ("1:2:3:4:5:6:1.2.3.4", true), ("fe80::ABCD", true),
            (":::", false), ("1:2:3:4:5:6:7:8:9", false), ("1:2:3:4:5:6:7:8::", false), ("12345::", false),
            ("1.2.3", false), ("1.2.3.4.5", false), ("01.2.3.4", false), ("::1%eth0", false), ("", false),
            ("1:2:3:4:5:6:7:1.2.3.4", false), (":1::", false), ("1::2:", false), ("g::", false),
        ])
        func bindHostSyntax(host: String, valid: Bool) {
            let result = Result { try AgentConfiguration(amphoraID: amphoraID, bindHost: host) }
            #expect(((try? result.get()) != nil) == valid, "\(host)")
        }
    }
}
