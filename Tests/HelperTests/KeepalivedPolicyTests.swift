import Foundation
import IPCProtocol
import Testing
@testable import Helper
@testable import LinuxSystem
@testable import ProgramLauncher

/// The keepalived tokenizer (as keepalived 2.2's lib/parser.c reads lines), the VRRP and LVS
/// allow-lists on top of it, the verdict on `keepalived --config-test` and the filter on its output.
/// Each refusal test is named after the attack it stops.
@Suite("keepalived tokenizer and VRRP/LVS policies")
struct KeepalivedPolicyTests {
    static let basePath = "/var/lib/octavia"
    static let vrrp: VRRPConfigPolicy? = try? VRRPConfigPolicy.embedded(basePath: basePath)
    static let lvs: LVSConfigPolicy? = try? LVSConfigPolicy.embedded(basePath: basePath, namespace: "amphora-haproxy")

    /// Octavia 19.0.0's keepalived_base.template, rendered (IPv4 VIP, an IPv6 additional VIP, a host route).
    static let octaviaVRRP = """
        vrrp_script check_script {
            script /var/lib/octavia/vrrp/check_script.sh
            interval 5
            fall 2
            rise 2
        }

        vrrp_instance 11111111222243338444555555555555 {
            interface eth1
            virtual_router_id 1
            priority 100
            nopreempt
            accept
            garp_master_refresh 5
            garp_master_refresh_repeat 2
            advert_int 1
            authentication {
                auth_type PASS
                auth_pass 0a1b2c3
            }

            unicast_src_ip 203.0.113.11
            unicast_peer {
                203.0.113.12
            }

            virtual_ipaddress {
                203.0.113.100
            }

            virtual_ipaddress_excluded {
                2001:db8::100
            }

            virtual_routes {
                203.0.113.0/24 dev eth1 src 203.0.113.100 scope link table 1
                default via 203.0.113.1 dev eth1 onlink table 1
                198.51.100.0/24 dev eth1 gateway 203.0.113.254 onlink table 1
                2001:db8::/64 dev eth1 src 2001:db8::100 scope link table 1
            }

            virtual_rules {
                from 203.0.113.100/32 table 1 priority 100
                from 2001:db8::100/128 table 1 priority 100
            }

            track_script {
                check_script
            }
        }
        """

    /// Octavia's LVS template for an SCTP listener with an SCTP health monitor.
    static let octaviaLVS = """
        # Configuration for Loadbalancer 11111111-2222-4333-8444-555555555555
        net_namespace amphora-haproxy

        virtual_server_group ipv4-group {
            203.0.113.100 53
        }

        virtual_server group ipv4-group {
            lb_algo wrr
            lb_kind NAT
            protocol SCTP
            delay_loop 30
            delay_before_retry 30
            retry 3
            real_server 192.0.2.20 53 {
                weight 1
                MISC_CHECK {
                    misc_path "amphora-health-checker sctp -t 31 192.0.2.30 9053"
                    misc_timeout 32
                }
            }
            real_server 192.0.2.21 53 {
                weight 1
                MISC_CHECK {
                    misc_path "/var/lib/octavia/lvs/check/udp_check.sh 192.0.2.21 53"
                    misc_timeout 31
                }
            }
        }
        """

    /// The refusal's details, or nil when `text` was accepted.
    static func vrrpRefusal(_ text: String) throws -> String? {
        let policy = try #require(vrrp)
        do {
            try policy.check(text)
            return nil
        } catch {
            let error = CommandError(mapping: error)
            #expect(error.code == .badRequest)
            return error.details ?? error.message
        }
    }

    static func lvsRefusal(_ text: String) throws -> String? {
        let policy = try #require(lvs)
        do {
            _ = try policy.check(text)
            return nil
        } catch {
            let error = CommandError(mapping: error)
            #expect(error.code == .badRequest)
            return error.details ?? error.message
        }
    }

    /// The Octavia sample with `line` added to the global_defs the agent renders (a new block at the top).
    static func withGlobalDefs(_ lines: String) -> String { "global_defs {\n    router_id amp\n\(lines)\n}\n" + octaviaVRRP }

    /// The Octavia sample with `line` added inside its vrrp_instance.
    static func inInstance(_ line: String) -> String {
        octaviaVRRP.replacingOccurrences(of: "    nopreempt\n", with: "    nopreempt\n\(line)\n")
    }

    // MARK: - What Octavia and the agent render

    @Test("Octavia's keepalived template and the agent's own ACTIVE-STANDBY rendering pass")
    func renderedConfigurationsPass() throws {
        #expect(try Self.vrrpRefusal(Self.octaviaVRRP) == nil)
        for role in TopologyRole.allCases {
            let own = TopologyManager.renderKeepalived(
                amphoraID: try ResourceID(validating: "7a1c0b4e-2f4d-4e57-9c3e-0c8d1b2a3f40"), basePath: Self.basePath, role: role,
                haIP: try IPAddress(validating: "203.0.113.100"), prefixLength: 24, interface: "eth1", secret: "s3cret")
            #expect(try Self.vrrpRefusal(own) == nil, "\(own)")
        }
        #expect(try Self.lvsRefusal(Self.octaviaLVS) == nil)
        let summary = try #require(Self.lvs).check(Self.octaviaLVS)
        #expect(summary.virtualServers == 1 && summary.realServers == 2)
        #expect(summary.scriptsUsed == ["amphora-health-checker", "/var/lib/octavia/lvs/check/udp_check.sh"])
    }

    // MARK: - Tokenizer attacks (both policies)

    @Test("a quoted keyword is refused: keepalived strips the quotes before it matches the keyword")
    func quotedScriptKeywordIsRefused() throws {
        for line in ["    \"script\" /bin/sh", "    \"notify_master\" /bin/sh", "    \"startup_script\" /bin/sh"] {
            let details = try #require(try Self.vrrpRefusal(Self.inInstance(line)), "\(line)")
            #expect(details.contains("must not be quoted") || details.contains("keyword must not be quoted"), "\(details)")
        }
        #expect(try Self.vrrpRefusal(Self.withGlobalDefs("    \"startup_script\" /bin/touch /tmp/pwned")) != nil)
        #expect(try Self.lvsRefusal(Self.octaviaLVS.replacingOccurrences(of: "weight 1\n", with: "weight 1\n\"notify_up\" /bin/sh\n")) != nil)
    }

    @Test("quoting inside a word, single quotes and escapes are refused (keepalived joins and unescapes them)")
    func quotedAndEscapedSpellingsAreRefused() throws {
        for line in [
            "    scr\"ipt\" /bin/sh", "    'script' /bin/sh", "    s'cript' /bin/sh", "    \\script /bin/sh", "    scr\\x69pt /bin/sh",
            "    notify\\137master /bin/sh", "    notify_master /bin/sh\\", "    \"\"notify_master /bin/sh", "    notify_master\"\" /bin/sh",
        ] {
            #expect(try Self.vrrpRefusal(Self.inInstance(line)) != nil, "\(line)")
        }
    }

    @Test("startup_script and shutdown_script in global_defs are refused")
    func startupScriptInGlobalDefsIsRefused() throws {
        for line in ["    startup_script /bin/touch /tmp/pwned", "    shutdown_script /bin/sh", "    startup_script_timeout 5",
                     "    script_user nobody", "    script_user root root", "    enable_script_security extra", "    notify_fifo /tmp/f"] {
            let details = try #require(try Self.vrrpRefusal(Self.withGlobalDefs(line)), "\(line)")
            #expect(details.contains("global_defs"), "\(details)")
        }
    }

    @Test("notify scripts and foreign vrrp_script programs are refused")
    func foreignScriptsAreRefused() throws {
        for line in ["    notify_master /bin/sh", "    notify /var/lib/octavia/vrrp/check_script.sh", "    notify_backup \"/bin/sh -c id\""] {
            #expect(try Self.vrrpRefusal(Self.inInstance(line)) != nil, "\(line)")
        }
        for script in ["/bin/sh", "\"/var/lib/octavia/vrrp/check_script.sh -x\"", "/var/lib/octavia/vrrp/check_script.sh extra", "/tmp/check_script.sh"] {
            let text = Self.octaviaVRRP.replacingOccurrences(of: "script /var/lib/octavia/vrrp/check_script.sh", with: "script \(script)")
            let details = try #require(try Self.vrrpRefusal(text), "\(script)")
            #expect(details.contains("script"), "\(details)")
        }
    }

    @Test("a virtual rule names one address (the VIP, /32 or /128), never a network")
    func virtualRulesNameOneAddress() throws {
        for rule in ["from 0.0.0.0/0", "from 203.0.113.0/24", "from 2001:db8::/64", "from 203.0.113.100/128", "from 2001:db8::100/32"] {
            let text = Self.octaviaVRRP.replacingOccurrences(of: "from 203.0.113.100/32", with: rule)
            #expect(text != Self.octaviaVRRP)
            #expect(try Self.vrrpRefusal(text) != nil, "\(rule)")
        }
        #expect(try Self.vrrpRefusal(Self.octaviaVRRP.replacingOccurrences(of: "from 203.0.113.100/32", with: "from 203.0.113.100")) == nil)
    }

    @Test("$ definitions and substitutions are refused")
    func variableDefinitionIsRefused() throws {
        for text in [
            "$S=startup_script /bin/sh\n" + Self.octaviaVRRP, "$S=\n" + Self.octaviaVRRP,
            Self.withGlobalDefs("    $S"), Self.withGlobalDefs("    ${S} /bin/sh"), Self.inInstance("    priority ${_RANDOM}"),
            Self.inInstance("    notify_$X /bin/sh"), Self.inInstance("    $_PWD"),
        ] {
            let details = try #require(try Self.vrrpRefusal(text))
            #expect(details.contains("'$'"), "\(details)")
        }
        #expect(try Self.lvsRefusal("$X=1\n" + Self.octaviaLVS) != nil)
    }

    @Test("@ and @^ conditional lines are refused")
    func conditionalLineIsRefused() throws {
        for line in ["@amp startup_script /bin/sh", "@^amp startup_script /bin/sh", "  @^x   notify_master /bin/sh"] {
            let details = try #require(try Self.vrrpRefusal(Self.withGlobalDefs(line)), "\(line)")
            #expect(details.contains("conditional"), "\(details)")
        }
        #expect(try Self.lvsRefusal(Self.octaviaLVS.replacingOccurrences(of: "weight 1\n", with: "weight 1\n@h weight 2\n")) != nil)
    }

    @Test("include in every spelling keepalived knows is refused")
    func includeIsRefused() throws {
        for line in ["include /etc/shadow", "   include /etc/shadow", "\tincluder /etc/*", "includem /x", "includew /x", "includeb /x",
                     "includea /x", "include\t/root/.ssh/id_rsa"] {
            let details = try #require(try Self.vrrpRefusal(line + "\n" + Self.octaviaVRRP), "\(line)")
            #expect(details.contains("include is not allowed"), "\(details)")
            #expect(try Self.lvsRefusal(Self.octaviaLVS + "\n" + line + "\n") != nil)
        }
    }

    @Test("~SEQ and ~LST line generators are refused")
    func sequenceLineIsRefused() throws {
        for line in ["~SEQ(i,1,3) notify_master /bin/sh", "~LST(x,a,b) startup_script /bin/sh", "~whatever"] {
            #expect(try Self.vrrpRefusal(Self.withGlobalDefs(line)) != nil, "\(line)")
        }
    }

    @Test("a line keepalived would cut into two (longer than its 1024-byte buffer) is refused")
    func overlongLineSplitIsRefused() throws {
        let padded = "#" + String(repeating: "x", count: 1022) + "startup_script /bin/sh"
        #expect(try Self.vrrpRefusal(Self.withGlobalDefs(padded)) != nil)
        #expect(try Self.vrrpRefusal(Self.withGlobalDefs("    router_id " + String(repeating: "a", count: 990))) != nil)
    }

    @Test("text after a brace (keepalived reads it as the next line) and stray braces are refused")
    func braceResidueIsRefused() throws {
        for text in [
            "global_defs { startup_script /bin/sh\n}\n", "global_defs {\n    router_id amp }\n", "global_defs {\n}startup_script /bin/sh\n",
            "global_defs\n{\n}\n", "global_defs {\n{ startup_script /bin/sh\n}\n}\n", "vrrp_script \"a{\" {\n}\n",
        ] {
            #expect(try Self.vrrpRefusal(text) != nil, "\(text)")
        }
    }

    @Test("control characters, NUL and non-ASCII are refused; comments and CRLF are read as keepalived reads them")
    func charactersAndComments() throws {
        for line in ["    state BACKUP\u{0C}", "    state BACKUP\u{0B}", "    state BACKUP\u{00}", "    state BACKUP é"] {
            #expect(try Self.vrrpRefusal(Self.inInstance(line)) != nil, "\(line.debugDescription)")
        }
        // '#' and '!' start comments outside quotes, as in keepalived; the rest of the line is gone.
        #expect(try Self.vrrpRefusal(Self.inInstance("    state BACKUP # startup_script /bin/sh")) == nil)
        #expect(try Self.vrrpRefusal(Self.inInstance("    state BACKUP ! notify_master /bin/sh")) == nil)
        #expect(try Self.vrrpRefusal(Self.octaviaVRRP.replacingOccurrences(of: "\n", with: "\r\n")) == nil)
        // Inside quotes they would not be comments: refused rather than interpreted.
        #expect(try Self.vrrpRefusal(Self.octaviaVRRP.replacingOccurrences(
            of: "script /var/lib/octavia/vrrp/check_script.sh", with: "script \"/var/lib/octavia/vrrp/check_script.sh#\"")) != nil)
    }

    @Test("tokenizer: words, quotes, braces and line numbers")
    func tokenizerSplitsAsKeepalived() throws {
        let lines = try KeepalivedConfigTokenizer.lines("# c\n\nvrrp_script x {\n    script \"/a b\" # c\n\t}\r\n")
        #expect(lines.count == 3)
        #expect(lines[0].number == 3 && lines[0].opensBlock && lines[0].words.map(\.text) == ["vrrp_script", "x"])
        #expect(lines[1].words == [KeepalivedWord(text: "script", quoted: false), KeepalivedWord(text: "/a b", quoted: true)])
        #expect(lines[2].closesBlock && lines[2].number == 5)
        #expect(throws: KeepalivedConfigRefusal.self) { try KeepalivedConfigTokenizer.lines("script \"/a\n") }
    }

    // MARK: - LVS

    @Test("misc_path runs only the agent's programs with an address and a port: no options, no extra words")
    func miscPathOptionInjectionIsRefused() throws {
        for command in [
            "/var/lib/octavia/lvs/check/udp_check.sh -e/bin/sh 53", "/var/lib/octavia/lvs/check/udp_check.sh --exec=/bin/sh 192.0.2.1 53",
            "/var/lib/octavia/lvs/check/udp_check.sh 192.0.2.1 -e", "/var/lib/octavia/lvs/check/udp_check.sh 192.0.2.1 53 -e/bin/sh",
            "/var/lib/octavia/lvs/check/udp_check.sh -1 53", "/var/lib/octavia/lvs/check/udp_check.sh 192.0.2.1 0",
            "/var/lib/octavia/lvs/check/udp_check.sh 192.0.2.1  53", "amphora-health-checker sctp -t 3 -x 192.0.2.1 53",
            "amphora-health-checker sctp -t -3 192.0.2.1 53", "amphora-health-checker tcp -t 3 192.0.2.1 53",
            "amphora-health-checker sctp -t 3 192.0.2.1 53 --verbose", "/bin/nc -e /bin/sh 192.0.2.1 53",
        ] {
            let text = Self.octaviaLVS.replacingOccurrences(of: "amphora-health-checker sctp -t 31 192.0.2.30 9053", with: command)
            let details = try #require(try Self.lvsRefusal(text), "\(command)")
            #expect(details.contains("misc_path"), "\(details)")
        }
        let unquoted = Self.octaviaLVS.replacingOccurrences(
            of: "\"amphora-health-checker sctp -t 31 192.0.2.30 9053\"", with: "/var/lib/octavia/lvs/check/udp_check.sh")
        #expect(try Self.lvsRefusal(unquoted) != nil)
    }

    @Test("LVS: other namespaces, global_defs, VRRP blocks and unknown keywords are refused")
    func lvsStructure() throws {
        #expect(try Self.lvsRefusal(Self.octaviaLVS.replacingOccurrences(of: "net_namespace amphora-haproxy", with: "net_namespace other")) != nil)
        for extra in ["global_defs {\n    script_user root\n}", "vrrp_instance x {\n}", "virtual_server 192.0.2.1 53 {\n}"] {
            #expect(try Self.lvsRefusal(Self.octaviaLVS + "\n" + extra + "\n") != nil, "\(extra)")
        }
        let notify = Self.octaviaLVS.replacingOccurrences(of: "weight 1\n", with: "weight 1\n        notify_up /var/lib/octavia/lvs/check/udp_check.sh\n")
        #expect(try Self.lvsRefusal(notify) != nil)
    }

    @Test("one of each block and of each setting in a block, as the templates render them; lists may repeat")
    func settingsAppearOnce() throws {
        let secondInstance = Self.octaviaVRRP + "\nvrrp_instance other {\n    interface eth2\n    virtual_router_id 2\n}\n"
        let vrrpCases = [
            secondInstance,
            Self.octaviaVRRP + "\nvrrp_script other {\n    script /var/lib/octavia/vrrp/check_script.sh\n}\n",
            Self.inInstance("    interface eth2"),
            Self.inInstance("    priority 1"),
            Self.octaviaVRRP.replacingOccurrences(of: "auth_pass 0a1b2c3\n", with: "auth_pass 0a1b2c3\n        auth_pass other\n"),
            Self.octaviaVRRP.replacingOccurrences(of: "    interval 5\n", with: "    interval 5\n    interval 1\n"),
            "global_defs {\n    router_id a\n}\nglobal_defs {\n    router_id b\n}\n" + Self.octaviaVRRP,
        ]
        for text in vrrpCases {
            let details = try #require(try Self.vrrpRefusal(text), "\(text)")
            #expect(details.contains("may appear only once"), "\(details)")
        }
        // Entries of a list block repeat; so does a second gateway route (one per VIP family).
        let twoGateways = Self.octaviaVRRP.replacingOccurrences(
            of: "default via 203.0.113.1 dev eth1 onlink table 1\n",
            with: "default via 203.0.113.1 dev eth1 onlink table 1\n        default via 2001:db8::1 dev eth1 onlink table 1\n")
        #expect(try Self.vrrpRefusal(twoGateways) == nil)

        // LVS: a virtual server per VIP family and a url block per expected code are what Octavia renders.
        let ipv6Server = """

            virtual_server_group ipv6-group {
                2001:db8::100 53
            }

            virtual_server group ipv6-group {
                lb_algo rr
                lb_kind NAT
                protocol UDP
                real_server 2001:db8::20 53 {
                    weight 1
                    HTTP_GET {
                        url {
                            path /healthz
                            status_code 200
                        }
                        url {
                            path /healthz
                            status_code 204
                        }
                        connect_ip 2001:db8::20
                        connect_port 80
                        connect_timeout 5
                    }
                }
            }

            """
        #expect(try Self.lvsRefusal(Self.octaviaLVS + ipv6Server) == nil)
        let lvsCases = [
            Self.octaviaLVS.replacingOccurrences(of: "lb_kind NAT\n", with: "lb_kind NAT\n    lb_algo rr\n"),
            Self.octaviaLVS.replacingOccurrences(of: "misc_timeout 32\n", with: "misc_timeout 32\n            misc_timeout 1\n"),
            Self.octaviaLVS + ipv6Server.replacingOccurrences(of: "status_code 204\n", with: "status_code 204\n                status_code 500\n"),
            Self.octaviaLVS.replacingOccurrences(of: "net_namespace amphora-haproxy\n", with: "net_namespace amphora-haproxy\nnet_namespace amphora-haproxy\n"),
        ]
        for text in lvsCases {
            let details = try #require(try Self.lvsRefusal(text), "\(text)")
            #expect(details.contains("may appear only once"), "\(details)")
        }
        // A policy whose `once` names a keyword no rule allows is malformed (the file is ours).
        #expect(throws: KeepalivedConfigError.self) { try VRRPConfigPolicy(text: "rule / vrrp_instance <name> {\nonce / vrrp_instanc\n", basePath: Self.basePath) }
        // ... and so is one naming a keyword some rule offers among alternatives (the other would repeat).
        #expect(throws: KeepalivedConfigError.self) { try VRRPConfigPolicy(text: "rule / a|b <name> {\nonce / a\n", basePath: Self.basePath) }
        #expect(throws: Never.self) { try VRRPConfigPolicy(text: "rule / a <name> {\nonce / a\n", basePath: Self.basePath) }
    }

    @Test("addresses keepalived would add, route through or send to are unicast")
    func addressesAreUnicast() throws {
        let vrrp = [
            Self.octaviaVRRP.replacingOccurrences(of: "unicast_src_ip 203.0.113.11", with: "unicast_src_ip 224.0.0.18"),
            Self.octaviaVRRP.replacingOccurrences(of: "        203.0.113.12\n", with: "        255.255.255.255\n"),
            Self.octaviaVRRP.replacingOccurrences(of: "default via 203.0.113.1 ", with: "default via 0.0.0.0 "),
            Self.octaviaVRRP.replacingOccurrences(of: "from 203.0.113.100/32", with: "from 127.0.0.1/32"),
        ]
        for text in vrrp {
            let details = try #require(try Self.vrrpRefusal(text))
            #expect(details.contains("unicast"), "\(details)")
        }
        let lvs = [
            Self.octaviaLVS.replacingOccurrences(of: "    203.0.113.100 53", with: "    ff02::1 53"),
            Self.octaviaLVS.replacingOccurrences(of: "real_server 192.0.2.20 53", with: "real_server 127.0.0.1 53"),
        ]
        for text in lvs {
            let details = try #require(try Self.lvsRefusal(text))
            #expect(details.contains("unicast"), "\(details)")
        }
    }

    // MARK: - config-test verdict and output

    static func result(_ exit: Int32, _ stderr: String) -> LaunchResult {
        LaunchResult(
            id: 1, argv: ["keepalived"], exitCode: exit, signal: nil, timedOut: false, stdout: "", stderr: stderr,
            outputTruncated: false, durationMicroseconds: 1, refusal: nil)
    }

    @Test("keepalived's SECURITY VIOLATION (exit 6) is a refusal, like every other failure")
    func securityViolationExitIsRefused() {
        let violation = Self.result(6, "SECURITY VIOLATION - start/shutdown scripts are being executed but script_security not enabled.\n")
        #expect(!KeepalivedConfigTest.passed(violation))
        #expect(KeepalivedConfigTest.refusalDetails(violation, uploaded: "").contains("SECURITY VIOLATION"))
        #expect(!KeepalivedConfigTest.passed(Self.result(1, "")))
        #expect(KeepalivedConfigTest.passed(Self.result(0, "")))
    }

    /// What keepalived 2.2.7's --config-test prints (exit 5) for Octavia 19.0.0's host-route, IPv6,
    /// peerless and disabled-pool renderings.
    static let benignOutput = """
        (/var/lib/octavia/vrrp/octavia-keepalived.conf.new: Line 43) VRRP parsed invalid IP gateway. skipping IP...
        (/var/lib/octavia/vrrp/octavia-keepalived.conf.new: Line 43) unknown route keyword gateway
        (11111111222243338444555555555555) VRRP version 3 does not support authentication. Ignoring.
        (11111111222243338444555555555555) A unicast keyword has been specified without any unicast peers. Defaulting to multicast. This usage is deprecated - please update your configuration.
        Virtual server [ipv4-group]:0 has no real servers - ignoring
        Virtual server [ipv6-group]:0 has no real servers - ignoring

        """

    @Test("exit 5 with only the warnings Octavia's renderings produce is accepted; one other line is a refusal")
    func benignConfigTestWarningsAreAccepted() {
        #expect(KeepalivedConfigTest.passed(Self.result(5, Self.benignOutput)))
        for line in Self.benignOutput.split(separator: "\n") {
            #expect(KeepalivedConfigTest.passed(Self.result(5, String(line) + "\n")), "\(line)")
        }
        // On stdout too, and the LVS file name of a stored (not candidate) configuration.
        var stdout = Self.result(5, "")
        stdout.stdout = "(/run/x/lvs/octavia-keepalived.conf: Line 9) unknown route keyword gateway\n"
        #expect(KeepalivedConfigTest.passed(stdout))
        // Exit 5 without any message: nothing shows the warning is benign.
        #expect(!KeepalivedConfigTest.passed(Self.result(5, "")))
        #expect(!KeepalivedConfigTest.passed(Self.result(5, "\n\n")))
        // Output cut by the launcher: the rest is unknown.
        var truncated = Self.result(5, Self.benignOutput)
        truncated.outputTruncated = true
        #expect(!KeepalivedConfigTest.passed(truncated))
    }

    @Test("exit 5 with the benign warnings plus any unknown line is a refusal (whole lines, no substrings)")
    func benignWarningsPlusUnknownLineAreRefused() {
        for extra in [
            "(Line 12) Unknown keyword 'bogus_keyword'",
            "Disabling track script check_script since not found/accessible",
            "Non-existent interface specified in configuration",
            // A benign line with something before or after it is not the benign line.
            "x (11111111222243338444555555555555) VRRP version 3 does not support authentication. Ignoring.",
            "Virtual server [ipv4-group]:0 has no real servers - ignoring; Unknown keyword 'x'",
            "(/var/lib/octavia/vrrp/octavia-keepalived.conf.new: Line 43) unknown route keyword gatewayx",
            "(/var/lib/octavia/vrrp/octavia-keepalived.conf.new: Line 43) unknown route keyword via",
            // Another file (an include) is never a benign location.
            "(/root/secret: Line 1) unknown route keyword gateway",
            "(/etc/keepalived/other.conf: Line 1) VRRP parsed invalid IP gateway. skipping IP...",
            "(a b) VRRP version 3 does not support authentication. Ignoring.",
            "Virtual server 192.0.2.1:53 has no real servers - ignoring",
        ] {
            #expect(!KeepalivedConfigTest.passed(Self.result(5, Self.benignOutput + extra + "\n")), "\(extra)")
            #expect(!KeepalivedConfigTest.passed(Self.result(5, extra + "\n" + Self.benignOutput)), "\(extra)")
        }
    }

    @Test("exit 6 (SECURITY VIOLATION) and every status but 5 stay refusals, even with only benign warnings")
    func securityViolationWithBenignWarningsIsRefused() {
        #expect(!KeepalivedConfigTest.passed(Self.result(6, Self.benignOutput)))
        let violation = Self.benignOutput + "SECURITY VIOLATION - start/shutdown scripts are being executed but script_security not enabled.\n"
        #expect(!KeepalivedConfigTest.passed(Self.result(6, violation)))
        #expect(!KeepalivedConfigTest.passed(Self.result(5, violation)))
        for status: Int32 in [1, 2, 3, 4, 7, 255] {
            #expect(!KeepalivedConfigTest.passed(Self.result(status, Self.benignOutput)), "\(status)")
        }
        var signalled = Self.result(5, Self.benignOutput)
        signalled.signal = 9
        #expect(!KeepalivedConfigTest.passed(signalled))
        var timedOut = Self.result(5, Self.benignOutput)
        timedOut.timedOut = true
        #expect(!KeepalivedConfigTest.passed(timedOut))
    }

    @Test("check output: lines quoting another file are dropped, keepalived's own messages are kept, capped")
    func includedFileContentsNeverLeak() {
        let uploaded = "vrrp_instance v {\n    bogus_keyword 1\n}\n"
        let key = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7"
        let output = """
            (Line 7) Configuration file '/root/secret' is not a regular non-executable file - skipping
            (/root/secret: Line 1) Unknown keyword '-----BEGIN'
            (/root/secret: Line 2) Unknown keyword '\(key)'
            (/root/secret: Line 3) Unknown keyword 'hunter2'
            (/var/lib/octavia/vrrp/octavia-keepalived.conf.new: Line 7) Unknown keyword 'bogus_keyword'
            root:$6$abc:19000:0:99999:7:::
            """
        let details = KeepalivedConfigTest.refusalDetails(Self.result(1, output), uploaded: uploaded)
        for secret in [key, "BEGIN", "hunter2", "/root/secret", "$6$", "octavia-keepalived.conf"] {
            #expect(!details.contains(secret), "\(details)")
        }
        let header = KeepalivedConfigTest.headerLines
        #expect(details.contains("line \(7 - header): Unknown keyword 'bogus_keyword'"), "\(details)")
        let many = (0..<100).map { _ in "(Line 9) Unknown keyword 'bogus_keyword'\n(Line 9) Invalid value\n" }.joined()
        let capped = KeepalivedOutputFilter.lines(many, reference: uploaded)
        #expect(capped.count <= KeepalivedOutputFilter.maximumLines + 1)
        #expect(capped.joined(separator: "\n").utf8.count <= KeepalivedOutputFilter.maximumBytes + 64)
    }

    @Test("check output never repeats the VRRP secret, even when keepalived echoes it")
    func vrrpSecretNeverInDetails() {
        let uploaded = "vrrp_instance v {\n    authentication {\n        auth_type PASS\n        auth_pass b20e06cf1abcf29c\n    }\n    bogus_keyword 1\n}\n"
        let output = """
            (Line 9) Unknown keyword 'b20e06cf1abcf29c'
            (Line 11) Unknown keyword 'bogus_keyword'
            """
        let details = KeepalivedConfigTest.refusalDetails(Self.result(1, output), uploaded: uploaded)
        #expect(!details.contains("b20e06cf1abcf29c"), "\(details)")
        #expect(details.contains("Unknown keyword 'bogus_keyword'"), "\(details)")
    }

    @Test("the stored form carries the agent's script-security header; the uploaded text comes back unchanged")
    func storedHeaderRoundTrip() throws {
        let stored = KeepalivedConfigTest.stored(Self.octaviaVRRP)
        #expect(stored.contains("enable_script_security"))
        #expect(KeepalivedConfigTest.uploaded(stored) == Self.octaviaVRRP)
        #expect(KeepalivedConfigTest.uploaded(Self.octaviaVRRP) == Self.octaviaVRRP)
        // The header itself passes the VRRP policy (it is what the agent renders).
        #expect(try Self.vrrpRefusal(stored) == nil)
    }
}
