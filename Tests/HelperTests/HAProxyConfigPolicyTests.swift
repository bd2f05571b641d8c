import Confinement
import IPCProtocol
import Testing
@testable import Helper
@testable import LinuxSystem
@testable import ProgramLauncher

/// The haproxy allow-list: Octavia's own shapes pass, each attack of issue 14 (security-anchors
/// §7 G1, G4, G5) is refused or forced.
@Suite("haproxy configuration policy")
struct HAProxyConfigPolicyTests {
    static let lb = "6f1c2b4e-0d7a-4e3b-9c1d-2e3f4a5b6c7d"
    static let context = HAProxyConfigPolicy.Context(
        instance: lb, basePath: "/var/lib/octavia", baseCertDir: "/var/lib/octavia/certs",
        programs: ProgramAllowList.embedded("haproxy-programs.txt", basePath: "/var/lib/octavia").paths)

    /// What Octavia 19.0.0 renders for a TERMINATED_HTTPS listener with a PING-monitored pool (abridged).
    static let octavia = """
        # Configuration for loadbalancer \(lb)
        global
            daemon
            user nobody
            log /run/rsyslog/octavia/log local0
            log /run/rsyslog/octavia/log local1 notice
            stats socket /var/lib/octavia/\(lb).sock mode 0666 level user
            server-state-file /var/lib/octavia/\(lb)/servers-state
            maxconn 50000
            external-check
            insecure-fork-wanted

        defaults
            log global
            retries 3
            option redispatch

        frontend l1
            maxconn 50000
            redirect scheme https if !{ ssl_fc }
            http-response set-header Strict-Transport-Security "max-age=10000000; includeSubDomains; preload;"
            bind 10.0.0.2:443 ssl crt-list /var/lib/octavia/certs/\(lb)/l1.pem ca-file /var/lib/octavia/certs/\(lb)/ca.pem verify required alpn h2,http/1.1
            mode http
                acl r1 req.hdr(Some-header) -m sub This\\ string\\\\\\ with\\ stuff
                acl r2 ssl_c_s_dn(STREET) -m reg ^STREET.*NO\\\\.$
            redirect code 302 location http://www.example.com if !r1 r2
            default_backend p1:l1
            timeout client 50000
            log-format 12345\\ \(lb)\\ %f\\ %ci\\ %{+Q}r

        backend p1:l1
            mode http
            balance roundrobin
            load-server-state-from-file global
            timeout check 31s
            option external-check
            external-check command /var/lib/octavia/ping-wrapper.sh
            option allbackups
            timeout connect 5000
            timeout server 50000
            server m1 10.0.0.99:82 weight 13 check inter 30s fall 3 rise 2 addr 192.168.1.1 port 9000 backup ssl crt /var/lib/octavia/certs/\(lb)/c.pem verify none sni ssl_fc_sni

        """

    func enforce(_ text: String) throws -> String {
        let policy = try #require(HAProxyConfigPolicy.embedded)
        return try policy.enforce(text, context: Self.context)
    }

    func refusal(_ text: String) -> String? {
        do {
            _ = try enforce(text)
            return nil
        } catch let error as HAProxyError {
            return CommandError(mapping: error).details ?? "refused"
        } catch {
            return "\(error)"
        }
    }

    /// The Octavia config with `line` added at the end of `section`'s header line.
    func with(_ line: String, after header: String) -> String {
        Self.octavia.replacingOccurrences(of: header + "\n", with: header + "\n    " + line + "\n")
    }

    @Test("at most HAProxyConfigPolicy.maximumServers server lines: one more is refused, naming the limit")
    func serverCount() throws {
        func servers(_ count: Int) -> String {
            let lines = (0..<count).map { "    server m\($0) 10.0.\($0 / 250).\($0 % 250 + 1):80 weight 1" }.joined(separator: "\n")
            return Self.octavia.replacingOccurrences(of: "\nbackend p1:l1\n", with: "\nbackend p1:l1\n" + lines + "\n")
        }
        let limit = HAProxyConfigPolicy.maximumServers
        // The Octavia sample holds one server already.
        #expect(refusal(servers(limit - 1)) == nil)
        let refused = try #require(refusal(servers(limit)))
        #expect(refused.contains("more than \(limit) servers"))
    }

    @Test("the policy file parses and names only known types")
    func policyParses() throws {
        let text = try #require(EmbeddedPolicy.files["haproxy-config.txt"])
        _ = try HAProxyConfigPolicy(parsing: text)
        #expect(HAProxyConfigPolicy.embedded != nil)
    }

    @Test("Octavia's rendering is accepted, with the socket and user forced")
    func octaviaAccepted() throws {
        let text = try enforce(Self.octavia)
        #expect(text.contains("global\n    stats socket /var/lib/octavia/\(Self.lb).sock mode 0600 level user\n    user nobody\n"))
        #expect(!text.contains("mode 0666"))
        #expect(text.ranges(of: "user nobody").count == 1)
    }

    @Test("G1: quoted lua-load is refused")
    func quotedLuaLoadIsRefused() {
        #expect(refusal(with("\"lua-load\" /tmp/x.lua", after: "global")) != nil)
    }

    @Test("G1: partly quoted lua-load is refused")
    func concatenatedLuaLoadIsRefused() {
        #expect(refusal(with("lua\"-load\" /tmp/x.lua", after: "global")) != nil)
        #expect(refusal(with("lua'-load' /tmp/x.lua", after: "global")) != nil)
    }

    @Test("G1: escaped lua-load is refused")
    func escapedLuaLoadIsRefused() {
        #expect(refusal(with("lua\\-load /tmp/x.lua", after: "global")) != nil)
    }

    @Test("G1: plain lua directives are not on the allow-list")
    func plainLuaIsRefused() {
        for keyword in ["lua-load", "lua-load-per-thread", "lua-prepend-path"] {
            #expect(refusal(with("\(keyword) /tmp/x.lua", after: "global"))?.contains("not allowed") == true, "\(keyword)")
        }
    }

    @Test("G1: a keyword expanded from the environment is refused")
    func expandedKeywordIsRefused() {
        #expect(refusal(with("\"${LUA}\" /tmp/x.lua", after: "global")) != nil)
        #expect(refusal(with("${LUA} /tmp/x.lua", after: "global")) != nil)
        #expect(refusal(with("maxconn \"$N\"", after: "global")) != nil)
    }

    @Test("G1: program sections, quoted or concatenated, are refused")
    func concatenatedProgramSectionIsRefused() {
        for header in ["program x", "\"program\" x", "pro\"gram\" x", "pro\\gram x"] {
            #expect(refusal(Self.octavia + header + "\n    command /bin/sh -c id\n") != nil, "\(header)")
        }
    }

    @Test("G1: .if conditionals and other directives are refused")
    func conditionalsAreRefused() {
        #expect(refusal(Self.octavia + ".if 1\nprogram x\n    command /bin/sh\n.endif\n") != nil)
        #expect(refusal(with(".diag x", after: "global")) != nil)
    }

    @Test("G4: errorfile, wherever it points, is refused")
    func errorfileOutsideTheLoadBalancerIsRefused() {
        #expect(refusal(with("errorfile 503 /root/x", after: "backend p1:l1")) != nil)
        #expect(refusal(with("errorfile 503 /etc/shadow", after: "defaults")) != nil)
    }

    @Test("G4: http-request return with a file is refused")
    func httpRequestReturnFileIsRefused() {
        #expect(refusal(with("http-request return status 200 file /etc/shadow", after: "frontend l1")) != nil)
    }

    @Test("G4: ca-file, crt, crt-list and crl-file outside the load balancer's certificate directory are refused")
    func caFileOutsideTheLoadBalancerIsRefused() {
        let lb = Self.lb
        for option in ["ca-file /etc/shadow", "ca-file /var/lib/octavia/certs/other/ca.pem", "crt /root/key.pem",
                       "crl-file /var/lib/octavia/certs/\(lb)/../x.pem", "ca-file /var/lib/octavia/certs/\(lb)/sub/x.pem",
                       "crt-list \"/etc/shadow\"",
                       // The load balancer's state directory holds no certificate (its files change unchecked).
                       "ca-file /var/lib/octavia/\(lb)/servers-state", "crl-file /var/lib/octavia/\(lb)/haproxy.cfg"] {
            let text = Self.octavia.replacingOccurrences(of: "verify required alpn", with: "\(option) verify required alpn")
            #expect(refusal(text) != nil, "\(option)")
        }
        let inside = Self.octavia.replacingOccurrences(of: "verify required alpn", with: "crl-file /var/lib/octavia/certs/\(lb)/crl.pem verify required alpn")
        #expect(refusal(inside) == nil)
    }

    @Test("G4: server-state-file of another load balancer is refused")
    func serverStateFileElsewhereIsRefused() {
        let text = Self.octavia.replacingOccurrences(of: "/var/lib/octavia/\(Self.lb)/servers-state", with: "/etc/shadow")
        #expect(refusal(text) != nil)
    }

    @Test("G4: external-check command other than the agent's scripts is refused")
    func foreignExternalCheckIsRefused() {
        let text = Self.octavia.replacingOccurrences(of: "/var/lib/octavia/ping-wrapper.sh", with: "/bin/sh")
        #expect(refusal(text) != nil)
    }

    @Test("G4: log targets other than the syslog sockets are refused")
    func foreignLogSocketIsRefused() {
        #expect(refusal(with("log /run/amphora-agent/helper.sock local0", after: "global")) != nil)
    }

    @Test("G5: a stats socket elsewhere is replaced by the agent's own")
    func statsSocketElsewhereIsForced() throws {
        let text = try enforce(
            Self.octavia.replacingOccurrences(of: "/var/lib/octavia/\(Self.lb).sock mode 0666 level user", with: "/run/amphora-agent/helper.sock level admin"))
        #expect(!text.contains("helper.sock"))
        #expect(HAProxyConfigText.statsSocketPath(in: text) == "/var/lib/octavia/\(Self.lb).sock")
        #expect(text.ranges(of: "stats socket").count == 1)
    }

    @Test("G5: a stats socket in another section is refused")
    func statsSocketInAProxyIsRefused() {
        #expect(refusal(with("stats socket /tmp/x.sock", after: "frontend l1")) != nil)
    }

    @Test("G5: a config without user gets user nobody; user root and uid/gid are not kept")
    func missingUserIsForced() throws {
        let text = try enforce(Self.octavia.replacingOccurrences(of: "    user nobody\n", with: ""))
        #expect(text.contains("\n    user nobody\n"))
        let root = try enforce(Self.octavia.replacingOccurrences(of: "user nobody", with: "user root\n    group root"))
        #expect(!root.contains("user root") && !root.contains("group root"))
        #expect(refusal(with("uid 0", after: "global")) != nil)
        #expect(refusal(with("gid 0", after: "global")) != nil)
    }

    @Test("unknown sections, lines outside sections and a missing global section are refused")
    func structure() {
        #expect(refusal("maxconn 1\nglobal\n") != nil)
        #expect(refusal(Self.octavia + "listen x\n    bind 10.0.0.1:80\n") != nil)
        #expect(refusal(Self.octavia + "userlist u\n") != nil)
        #expect(refusal("defaults\n    retries 3\n") != nil)
    }

    @Test("argument shapes are checked")
    func shapes() {
        #expect(refusal(with("maxconn 1x", after: "global")) != nil)
        #expect(refusal(with("bind *:80", after: "frontend l1")) != nil)
        #expect(refusal(with("acl x path -m str -f", after: "frontend l1")) != nil)
        #expect(refusal(with("http-response set-header X-Other \"x\"", after: "frontend l1")) != nil)
        #expect(refusal(with("timeout client \"5s\"", after: "frontend l1")) != nil)
        #expect(refusal(with("server m2 10.0.0.1:80 weight 1 \"check\"", after: "backend p1:l1")) != nil)
        #expect(refusal(with("server m2 10.0.0.1:80 weight 1 on-marked-down shutdown-sessions", after: "backend p1:l1")) != nil)
    }

    /// Octavia's default `user_log_format` as `_format_log_string` renders it (spaces escaped), for HTTP and for TCP listeners.
    static let octaviaHTTPLogFormat = #"12345\ \#(lb)\ %f\ %ci\ %cp\ %t\ %{+Q}r\ %ST\ %B\ %U\ %[ssl_c_verify]\ %{+Q}[ssl_c_s_dn]\ %b\ %s\ %Tt\ %tsc"#
    static let octaviaTCPLogFormat = #"12345\ \#(lb)\ %f\ %ci\ %cp\ %t\ -\ -\ %B\ %U\ %[ssl_c_verify]\ %{+Q}[ssl_c_s_dn]\ %b\ %s\ %Tt\ %tsc"#

    func withLogFormat(_ format: String) -> String {
        Self.octavia.replacingOccurrences(of: #"log-format 12345\ \#(Self.lb)\ %f\ %ci\ %{+Q}r"#, with: "log-format " + format)
    }

    @Test("review H1: Octavia's default and customised log formats are accepted")
    func octaviaLogFormatsAccepted() throws {
        for format in [
            Self.octaviaHTTPLogFormat, Self.octaviaTCPLogFormat,
            #"%ci:%cp\ [%tr]\ %ft\ %b/%s\ %TR/%Tw/%Tc/%Tr/%Ta\ %ST\ %B\ %tsc\ %ac/%fc/%bc/%sc/%rc\ %sq/%bq\ %{+Q}r"#,
            #"project=abc\ %{+Q+E}HU\ %[src]:%[src_port]\ %[dst]:%[dst_port]\ %{+Q}[ssl_c_s_dn(cn)]\ %[ssl_fc]\ %[ssl_c_sha1]\ %ID\ %H\ %pid"#,
        ] {
            #expect(refusal(withLogFormat(format)) == nil, "\(format)")
        }
    }

    @Test("review H1: a log-format converter that reads a file (map_ip(/etc/shadow)) is refused, naming the line")
    func logFormatMapConverterReadingAFileIsRefused() throws {
        let text = withLogFormat("%[src,map_ip(/etc/shadow)]")
        let line = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("log-format") }) + 1
        let details = try #require(refusal(text))
        #expect(details.hasPrefix("line \(line):"))
        #expect(!details.contains("shadow"))
    }

    @Test("review H1: other log-format sample expressions, converters and unknown variables are refused")
    func logFormatSampleExpressionsOutsideTheAllowListAreRefused() {
        for format in [
            "%{+Q}[src,map_str(/dev/zero)]", "%[src,map(/run/fifo)]", #"%[src\,map_ip(/etc/shadow)]"#, "%[ssl_c_s_dn(cn),lower]",
            "%[ssl_c_sha1,hex]", "%[req.hdr(host)]", "%[env(HOME)]", "%[ssl_c_s_dn(cn,1)]", "%[src]x%[src", "%[]",
            "%{+Q}[src,map_ip(shadow)]", "%zz", "%%", "%", "%{+Z}r", "%{+Q", "%{}r", "%ci\\ %[src,map_ip(/etc/shadow)]",
            #""%[src,map_ip(/etc/shadow)]""#, "'%[src,map_ip(/etc/shadow)]'", "a$HOME", "a\\#b", "a{b}", "a\"b", "a(b)",
        ] {
            #expect(refusal(withLogFormat(format)) != nil, "\(format)")
        }
    }

    @Test("review H1: haproxy's line quoting another file is not passed on")
    func checkOutputQuotingAnotherFileIsDropped() {
        let directories = ["/var/lib/octavia/\(Self.lb)", "/var/lib/octavia/certs/\(Self.lb)"]
        let leak = "[ALERT]    (6138) : config : Parsing [/var/lib/octavia/\(Self.lb)/haproxy.cfg.new:10]: failed to parse log-format : "
            + "failed to parse sample expression <src,map_ip(/etc/shadow)]> : invalid args in converter 'map_ip' : "
            + "'root:$y$j9T$secret:19000:0:99999:7:::' is not a valid IPv4 or IPv6 address at line 1 of file '/etc/shadow'."
        let own = "[ALERT]    (6138) : config : parsing [/var/lib/octavia/\(Self.lb)/haproxy.cfg.new:12] : unknown keyword 'x'."
        let cert = "[ALERT]    (6138) : config : unable to load certificate from file '/var/lib/octavia/certs/\(Self.lb)/l1.pem'."
        let relative = "[ALERT]    (6138) : config : 'x' is not valid at line 1 of file 'shadow'."
        let escape = "[ALERT]    (6138) : config : bad line at line 1 of file '/var/lib/octavia/\(Self.lb)/../../../etc/shadow'."
        let kept = HAProxyConfigCheckOutput.errorLines([leak, own, cert, relative, escape].joined(separator: "\n"), directories: directories)
        #expect(kept == own + "\n" + cert)
        #expect(!kept.contains("secret") && !kept.contains("shadow"))
    }

    @Test("haproxy's own tag naming its program path is passed on; another program's path is not")
    func startFailureNamingTheProgramIsKept() {
        // What a haproxy started as /usr/sbin/haproxy logs when its maxconn and checks need more descriptors.
        let alert = "[ALERT]    (17606) : [/usr/sbin/haproxy.main()] Cannot raise FD limit to 22575, limit is 20000."
        let other = "[ALERT]    (17606) : [/usr/sbin/other.main()] x"
        let shadow = "[ALERT]    (17606) : [/usr/sbin/haproxy.main()] at /etc/shadow"
        let output = [alert, other, shadow].joined(separator: "\n")
        #expect(HAProxyConfigCheckOutput.errorLines(output, directories: [], programs: ["/usr/sbin/haproxy"]) == alert)
        #expect(HAProxyConfigCheckOutput.errorLines(output, directories: []).isEmpty)
    }

    @Test("each line is checked as it is read: the first refused line decides, before later lines are read")
    func checkedAsRead() {
        // Line 2 is refused by the allow-list; line 3 would be refused by the tokenizer.
        let text = "global\n    lua-load /tmp/x.lua\n    daemon \"unterminated\n" + String(repeating: "    daemon\n", count: 100_000)
        #expect(refusal(text)?.contains("line 2:") == true)
    }

    @Test("haproxy -c output: only ALERT/WARNING lines, capped, printable")
    func checkOutputFiltered() {
        let output = "[NOTICE]   (1) : haproxy version\nsecret line of another file\n[ALERT]    (1) : config : bad\u{1B}x\n"
            + String(repeating: "[WARNING]  (1) : w\n", count: 100)
        let kept = HAProxyConfigCheckOutput.errorLines(output, directories: [])
        #expect(!kept.contains("secret") && !kept.contains("NOTICE"))
        #expect(kept.hasPrefix("[ALERT]    (1) : config : bad?x"))
        #expect(kept.split(separator: "\n").count == HAProxyConfigCheckOutput.maximumLines)
    }
}
