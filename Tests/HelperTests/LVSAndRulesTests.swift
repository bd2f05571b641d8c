import Foundation
import Helper
import IPCProtocol
import Testing
@testable import LinuxSystem
@testable import ProgramLauncher

/// The UDP listener configuration policy (policy/keepalived-lvs.txt, compiled in), keepalived's
/// config-test verdicts, and the nftables ruleset the interface rules render to.
@Suite("LVS policy and interface rules rendering")
struct LVSAndRulesTests {
    static let policy: LVSConfigPolicy? = try? LVSConfigPolicy.embedded(basePath: "/var/lib/octavia", namespace: "amphora-haproxy")

    /// Octavia's own rendering (octavia/tests/unit/common/jinja/lvs/test_jinja_cfg.py, UDP with source-IP persistence).
    static let upstreamSample = """
        # Configuration for Loadbalancer sample_loadbalancer_id_1
        # Configuration for Listener sample_listener_id_1

        net_namespace amphora-haproxy

        virtual_server_group ipv4-group {
            10.0.0.2 80
        }

        virtual_server group ipv4-group {
            lb_algo wrr
            lb_kind NAT
            protocol UDP
            persistence_timeout 33
            persistence_granularity 255.255.0.0
            delay_loop 30
            delay_before_retry 30
            retry 3


            # Configuration for Pool sample_pool_id_1
            # Configuration for HealthMonitor sample_monitor_id_1
            # Configuration for Member sample_member_id_1
            real_server 10.0.0.99 82 {
                weight 13
                uthreshold 98
                MISC_CHECK {
                    misc_path "/var/lib/octavia/lvs/check/udp_check.sh 10.0.0.99 82"
                    misc_timeout 31
                }
            }

        }


        """

    @Test("Octavia's rendered LVS configurations pass, disabled listeners included")
    func upstreamRenderings() throws {
        let policy = try #require(Self.policy)
        let summary = try policy.check(Self.upstreamSample)
        #expect(summary.virtualServers == 1)
        #expect(summary.realServers == 1)
        #expect(summary.scriptsUsed == ["/var/lib/octavia/lvs/check/udp_check.sh"])
        let disabled = "# Configuration for Loadbalancer x\n# Listener y is disabled\n\nnet_namespace amphora-haproxy\n\n"
        #expect(try policy.check(disabled).virtualServers == 0)
        let http = Self.upstreamSample.replacingOccurrences(
            of: "MISC_CHECK {\n                misc_path \"/var/lib/octavia/lvs/check/udp_check.sh 10.0.0.99 82\"\n                misc_timeout 31\n            }",
            with: "HTTP_GET {\n                url {\n                  path /health?x=1\n                  status_code 200\n                }\n"
                + "                connect_ip 10.0.0.99\n                connect_port 82\n                connect_timeout 31\n            }")
        #expect(try policy.check(http).realServers == 1)
        // An SCTP listener with an SCTP health monitor: Octavia names amphora-health-checker without a path.
        let sctp = Self.upstreamSample.replacingOccurrences(of: "protocol UDP", with: "protocol SCTP").replacingOccurrences(
            of: "misc_path \"/var/lib/octavia/lvs/check/udp_check.sh 10.0.0.99 82\"", with: "misc_path \"amphora-health-checker sctp -t 31 10.0.0.99 82\"")
        #expect(try policy.check(sctp).scriptsUsed == ["amphora-health-checker"])
        let elsewhere = sctp.replacingOccurrences(of: "\"amphora-health-checker ", with: "\"/tmp/amphora-health-checker ")
        #expect(throws: KeepalivedConfigError.self) { try policy.check(elsewhere) }
    }

    @Test("scripts other than the agent's own, includes, unknown keywords and bad structure are refused", arguments: [
        ("misc_path \"/bin/sh -c id\"", "keyword 'misc_path' is not allowed"),
        ("notify_up /tmp/x.sh", "keyword 'notify_up' is not allowed"),
        ("misc_path \"/var/lib/octavia/lvs/check/udp_check.sh 1.2.3.4 $(id)\"", "parameter substitutions"),
        ("include /etc/passwd", "include is not allowed"),
        ("script_user root", "keyword 'script_user' is not allowed"),
        ("@host1 weight 1", "conditional lines"),
    ])
    func refusals(line: String, reason: String) throws {
        let policy = try #require(Self.policy)
        let text = Self.upstreamSample.replacingOccurrences(of: "weight 13", with: "weight 13\n        \(line)")
        do {
            _ = try policy.check(text)
            Issue.record("accepted: \(line)")
        } catch {
            let wire = CommandError(mapping: error)
            #expect(wire.code == .badRequest)
            #expect((wire.details ?? "").contains(reason), "\(wire.details ?? "")")
        }
    }

    @Test("structure: top-level virtual servers, real servers inside them, balanced braces, our namespace")
    func structure() throws {
        let policy = try #require(Self.policy)
        for text in [
            "real_server 1.2.3.4 80 {\n}\n",
            "virtual_server 1.2.3.4 80 {\n    virtual_server 1.2.3.4 81 {\n    }\n}\n",
            "virtual_server 1.2.3.4 80 {\n",
            "}\n",
            "net_namespace other\n",
            "virtual_server 1.2.3.4 80 { lb_algo rr }\n",
        ] {
            #expect(throws: KeepalivedConfigError.self, "\(text)") { try policy.check(text) }
        }
    }

    @Test("config-test: exit 0 passes; exit 6 (SECURITY VIOLATION) and every other status is a refusal")
    func configTest() {
        #expect(KeepalivedConfigTest.passed(KeepalivedPolicyTests.result(0, "")))
        #expect(!KeepalivedConfigTest.passed(KeepalivedPolicyTests.result(6, "SECURITY VIOLATION - check scripts are being executed but script_security not enabled.\n")))
        #expect(!KeepalivedConfigTest.passed(KeepalivedPolicyTests.result(6, "SECURITY VIOLATION - scripts are being executed but script_security not enabled.\n")))
        #expect(!KeepalivedConfigTest.passed(KeepalivedPolicyTests.result(6, "")))
        #expect(!KeepalivedConfigTest.passed(KeepalivedPolicyTests.result(
            6, "SECURITY VIOLATION - scripts are being executed but script_security not enabled.\n(Line 3) Unknown keyword 'x'\n")))
        #expect(!KeepalivedConfigTest.passed(KeepalivedPolicyTests.result(5, "(Line 1) Unknown keyword 'bogus'\n")))
    }

    @Test("the ruleset: upstream's table and chains, one accept per rule, cidr by family, VRRP as protocol 112")
    func ruleset() throws {
        let rules = [
            try InterfaceRule(ruleProtocol: .tcp, cidr: try CIDR(validating: "198.51.100.0/24"), port: 80),
            try InterfaceRule(ruleProtocol: .udp, cidr: nil, port: 53),
            try InterfaceRule(ruleProtocol: .sctp, cidr: try CIDR(validating: "2001:db8::/64"), port: 9000),
            try InterfaceRule(ruleProtocol: .vrrp, cidr: try CIDR(validating: "0.0.0.0/0"), port: 112),
        ]
        let text = InterfaceRulesApplier.ruleset(interface: "eth1", rules: rules)
        let lines = text.split(separator: "\n").map { String($0).trimmingCharacters() }
        #expect(lines.prefix(3) == ["table inet amphora_table {}", "delete table inet amphora_table", "table inet amphora_table {"])
        #expect(lines.contains("type filter hook input priority filter; policy drop;"))
        #expect(lines.contains("iifname eth1 goto amphora_vip_chain"))
        #expect(lines.contains("ip saddr 198.51.100.0/24 tcp dport 80 accept"))
        #expect(lines.contains("udp dport 53 accept"))
        #expect(lines.contains("ip6 saddr 2001:db8::/64 sctp dport 9000 accept"))
        #expect(lines.contains("ip protocol 112 accept"))
        #expect(throws: ValidationError.self) { try InterfaceRule(ruleProtocol: .tcp, cidr: nil, port: 0) }
        #expect(throws: ValidationError.self) { try InterfaceRule(ruleProtocol: .tcp, cidr: nil, port: 65536) }
    }
}

extension String {
    fileprivate func trimmingCharacters() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
