import Foundation
import Testing

/// keepalived uploads through the real agent (VRRP and UDP/SCTP listeners): the root escapes of
/// issue 14 are refused with 400 and leave nothing behind, no byte of another file reaches the
/// response or the audit log, and what Octavia's own templaters render is accepted (and starts).
@Suite("keepalived uploads against root escapes", .serialized, .timeLimit(.minutes(5)))
struct KeepalivedUploadTests {
    static let amphora = AgentHarness.amphoraID
    static let renderer = AgentHarness.repositoryRoot.path + "/Tests/Conformance/render_keepalived.py"

    /// A VRRP configuration the policy accepts, on the namespace's eth1 (see ``addInterface``).
    static let goodVRRP = """
        vrrp_instance v {
            state BACKUP
            interface eth1
            virtual_router_id 51
            priority 90
            advert_int 1
            virtual_ipaddress {
                192.0.2.100/24 dev eth1
            }
        }

        """

    /// `eth1` with 192.0.2.11/24 inside the namespace: one end of a veth pair whose other end stays in
    /// the namespace too (both go away with it).
    static func addInterface(_ ns: TestNamespace) throws {
        try Shell.run("/usr/sbin/ip", ["-n", ns.name, "link", "add", "eth1", "type", "veth", "peer", "name", "eth9"])
        try Shell.run("/usr/sbin/ip", ["-n", ns.name, "addr", "add", "192.0.2.11/24", "dev", "eth1"])
        try Shell.run("/usr/sbin/ip", ["-n", ns.name, "link", "set", "eth9", "up"])
        try Shell.run("/usr/sbin/ip", ["-n", ns.name, "link", "set", "eth1", "up"])
    }

    /// A started agent whose amphora namespace `ns` has eth1 (`addInterface`); the test stops it.
    static func startedAgent(withInterfaceIn ns: TestNamespace) throws -> AgentHarness {
        try addInterface(ns)
        return try AgentHarness.started(extraConfig: "netns = \(ns.name)")
    }

    /// A path under /run that no other run uses (`prefix`, a dash, 8 random characters); the test removes it.
    static func scratchPath(_ prefix: String) -> String {
        "/run/\(prefix)-" + String(UUID().uuidString.lowercased().prefix(8))
    }

    /// Renders with Octavia's own templaters (the bench venv's python).
    static func render(basePath: String, netns: String) throws -> [String: [[String: String]]] {
        let venv = try Shell.run("/bin/bash", [AgentHarness.repositoryRoot.path + "/Tests/Conformance/ensure-venv.sh"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let run = try Shell.run(venv + "/bin/python", [renderer, "--base-path", basePath, "--netns", netns, "--interface", "eth1"])
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
        return try #require(object as? [String: [[String: String]]])
    }

    @Test("include of a root-only file: 400, and no byte of the file in the response or the audit log")
    func includeOfRootOnlySecretIsRefusedWithoutLeaking() throws {
        let ns = try TestNamespace()
        let agent = try Self.startedAgent(withInterfaceIn: ns)
        defer { agent.stop() }
        // A root-only file whose lines keepalived would print as "Unknown keyword '<line>'".
        let secret = Self.scratchPath("amphora-it-secret")
        let secretLines = ["-----BEGIN PRIVATE KEY-----", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7xq", "sesamewordlower",
                           "Topsecretcapital", "-----END PRIVATE KEY-----"]
        try (secretLines.joined(separator: "\n") + "\n").write(toFile: secret, atomically: true, encoding: .utf8)
        chmod(secret, 0o600)
        defer { try? FileManager.default.removeItem(atPath: secret) }

        let lvsPath = "/1.0/listeners/\(Self.amphora)/\(UUID().uuidString.lowercased())/udp_listener"
        let attempts: [(String, String)] = [
            ("PUT", "/1.0/vrrp/upload"), ("PUT", "/v0.1/vrrp/upload"), ("PUT", lvsPath),
        ]
        var responses: [String] = []
        for (method, path) in attempts {
            for spelling in ["include \(secret)", "  include \(secret)", "includer \(secret)", "include\t\(secret)"] {
                let text = spelling + "\n" + (path.hasSuffix("udp_listener") ? "net_namespace \(ns.name)\n" : Self.goodVRRP)
                let response = try agent.request(method, path, body: Data(text.utf8))
                #expect(response.status == 400, "\(path) \(spelling): \(response.status) \(response.text)")
                #expect(response.headers["content-type"] == "application/json")
                #expect((response.object["details"] as? String ?? "").contains("include is not allowed"), "\(response.text)")
                responses.append(response.text)
            }
        }
        let audit = (try? String(contentsOfFile: agent.auditLog, encoding: .utf8)) ?? ""
        for line in secretLines {
            for text in responses { #expect(!text.contains(line), "the response quotes the secret file: \(text)") }
            #expect(!audit.contains(line), "the audit log quotes the secret file")
        }
        for fragment in ["sesame", "Topsecret", "MIIEvQ"] {
            #expect(!responses.joined().contains(fragment) && !audit.contains(fragment), "\(fragment)")
        }
        #expect(!FileManager.default.fileExists(atPath: agent.directory + "/base/vrrp/octavia-keepalived.conf"), "nothing stored")
    }

    @Test("a stored configuration that includes another file (planted, or from an older agent) is refused at start and reload")
    func plantedIncludeIsRefusedAtReload() throws {
        let ns = try TestNamespace()
        let agent = try Self.startedAgent(withInterfaceIn: ns)
        defer { agent.stop() }
        #expect(try agent.request("PUT", "/1.0/vrrp/upload", body: Data(Self.goodVRRP.utf8)).status == 200)
        let secret = Self.scratchPath("amphora-it-secret")
        try "global_defs {\n    startup_script /usr/bin/touch \(secret).ran\n}\nsesamewordlower\n".write(toFile: secret, atomically: true, encoding: .utf8)
        chmod(secret, 0o600)
        defer {
            try? FileManager.default.removeItem(atPath: secret)
            try? FileManager.default.removeItem(atPath: secret + ".ran")
        }
        let file = agent.directory + "/base/vrrp/octavia-keepalived.conf"
        let stored = try String(contentsOfFile: file, encoding: .utf8)
        try (stored + "include \(secret)\n").write(toFile: file, atomically: true, encoding: .utf8)
        for action in ["reload", "start"] {
            let response = try agent.request("PUT", "/1.0/vrrp/\(action)")
            #expect(response.status == 400, "\(action): \(response.status) \(response.text)")
            #expect((response.object["details"] as? String ?? "").contains("include is not allowed"), "\(response.text)")
            #expect(!response.text.contains("sesame") && !response.text.contains(secret))
        }
        #expect(!FileManager.default.fileExists(atPath: secret + ".ran"))
        #expect(!agent.descendants().contains { ProcessTable.commandLine($0).hasPrefix("/usr/sbin/keepalived") })
    }

    @Test("startup_script in global_defs (keepalived --config-test: SECURITY VIOLATION, exit 6) is refused; nothing runs")
    func startupScriptInGlobalDefsIsRefused() throws {
        let ns = try TestNamespace()
        let agent = try Self.startedAgent(withInterfaceIn: ns)
        defer { agent.stop() }
        let marker = Self.scratchPath("amphora-it-pwned")
        defer { try? FileManager.default.removeItem(atPath: marker) }
        for text in [
            "global_defs {\n    startup_script \"/usr/bin/touch \(marker)\"\n}\n" + Self.goodVRRP,
            "global_defs {\n    shutdown_script \"/usr/bin/touch \(marker)\"\n}\n" + Self.goodVRRP,
            Self.goodVRRP.replacingOccurrences(of: "    priority 90\n", with: "    priority 90\n    notify_master \"/usr/bin/touch \(marker)\"\n"),
        ] {
            let response = try agent.request("PUT", "/1.0/vrrp/upload", body: Data(text.utf8))
            #expect(response.status == 400, "\(response.status) \(response.text)")
            #expect(response.object["message"] as? String == "Invalid request")
        }
        // Nothing was stored, so nothing can start.
        #expect(try agent.request("PUT", "/1.0/vrrp/start").status == 500)
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test("a quoted \"startup_script\" keyword is refused; nothing runs")
    func quotedStartupScriptIsRefused() throws {
        let ns = try TestNamespace()
        let agent = try Self.startedAgent(withInterfaceIn: ns)
        defer { agent.stop() }
        let marker = Self.scratchPath("amphora-it-pwned")
        defer { try? FileManager.default.removeItem(atPath: marker) }
        // First a good configuration, so that a later start has something to run.
        #expect(try agent.request("PUT", "/1.0/vrrp/upload", body: Data(Self.goodVRRP.utf8)).status == 200)
        for keyword in ["\"startup_script\"", "\"shutdown_script\"", "'startup_script'", "startup\"_script\"", "$S=startup_script\n$S"] {
            let text = "global_defs {\n    \(keyword) \"/usr/bin/touch \(marker)\"\n}\n" + Self.goodVRRP
            let response = try agent.request("PUT", "/v0.1/vrrp/upload", body: Data(text.utf8))
            #expect(response.status == 400, "\(keyword): \(response.status) \(response.text)")
        }
        let active = try String(contentsOfFile: agent.directory + "/base/vrrp/octavia-keepalived.conf", encoding: .utf8)
        #expect(!active.contains(marker), "a refused configuration never replaces the active one")
        #expect(try agent.request("PUT", "/1.0/vrrp/start").status == 202)
        Thread.sleep(forTimeInterval: 1)
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(try agent.request("PUT", "/1.0/vrrp/stop").status == 202)
    }

    @Test("everything Octavia's keepalived templater renders is accepted (host routes, IPv6, no peers: keepalived's benign warnings), and keepalived starts with it")
    func octaviaRenderedVRRPConfigIsAcceptedAndStarts() throws {
        let ns = try TestNamespace()
        try Self.addInterface(ns)
        // The IPv6 rendering's unicast_src_ip (keepalived binds it).
        try Shell.run("/usr/sbin/ip", ["-n", ns.name, "addr", "add", "2001:db8::11/64", "dev", "eth1", "nodad"])
        let agent = try AgentHarness(extraConfig: "netns = \(ns.name)")
        // keepalived refuses check scripts below a world-writable directory (/tmp): a root-only base_path.
        let basePath = try LVSListenerTests.relocateBasePath(agent)
        defer { try? FileManager.default.removeItem(atPath: basePath) }
        try agent.start()
        defer { agent.stop() }
        let rendered = try Self.render(basePath: basePath, netns: ns.name)
        let vrrp = try #require(rendered["vrrp"])
        let names = vrrp.compactMap { $0["name"] }
        for name in ["ipv4", "ipv4-no-gateway", "ipv4-host-routes", "ipv6", "ipv4-no-peers"] {
            #expect(names.contains(name), "\(names)")
        }
        // Every rendering is accepted: keepalived 2.2.7's --config-test exits 5 on host routes ("unknown
        // route keyword gateway"), IPv6 (VRRPv3 ignores authentication) and no peers, and prints only
        // the warnings the agent knows to be benign.
        for config in vrrp {
            let text = try #require(config["text"])
            let response = try agent.request("PUT", "/1.0/vrrp/upload", body: Data(text.utf8))
            #expect(response.status == 200, "\(config["name"] ?? ""): \(response.status) \(response.text)")
        }
        func keepalivedRuns() -> Bool { agent.descendants().contains { ProcessTable.commandLine($0).hasPrefix("/usr/sbin/keepalived") } }
        // keepalived starts with the plain IPv4, the IPv6 and the host-route renderings.
        for name in ["ipv4-no-gateway", "ipv6", "ipv4-host-routes"] {
            let text = try #require(vrrp.first { $0["name"] == name }?["text"])
            let upload = try agent.request("PUT", "/1.0/vrrp/upload", body: Data(text.utf8))
            #expect(upload.status == 200, "\(name): \(upload.text)")
            let stored = try String(contentsOfFile: basePath + "/vrrp/octavia-keepalived.conf", encoding: .utf8)
            #expect(stored.hasSuffix(text) && stored.contains("enable_script_security"), "\(name)")
            let start = try agent.request("PUT", "/1.0/vrrp/start")
            #expect(start.status == 202, "\(name): \(start.text)")
            #expect(waitUntil(10) { keepalivedRuns() }, "\(name): keepalived does not run")
            let reload = try agent.request("PUT", "/1.0/vrrp/reload")
            #expect(reload.status == 202, "\(name): \(reload.text)")
            #expect(keepalivedRuns(), "\(name): keepalived is gone after the reload")
            #expect(try agent.request("PUT", "/1.0/vrrp/stop").status == 202, "\(name)")
            #expect(waitUntil(10) { !keepalivedRuns() }, "\(name): keepalived still runs after stop")
        }
    }

    @Test("everything Octavia's LVS templater renders (UDP and SCTP, every health monitor type, disabled pools) is accepted by the policy and keepalived --config-test")
    func octaviaRenderedLVSConfigsAreAccepted() throws {
        let (ns, agent, basePath) = try LVSListenerTests.startedWithRelocatedBasePath()
        defer { LVSListenerTests.stop(agent, removing: basePath) }
        let lvs = try #require(try Self.render(basePath: basePath, netns: ns.name)["lvs"])
        #expect(lvs.count >= 2 * 6 * 7)
        let names = lvs.compactMap { $0["name"] }
        for monitor in ["udp-connect", "sctp", "http", "tcp", "none"] {
            #expect(names.contains("UDP-\(monitor)-plain") && names.contains("SCTP-\(monitor)-plain"), "\(names)")
            #expect(names.contains("UDP-\(monitor)-disabled-pool") && names.contains("SCTP-\(monitor)-disabled-pool"), "\(names)")
        }
        let listener = UUID().uuidString.lowercased()
        for config in lvs {
            let text = try #require(config["text"])
            let name = config["name"] ?? ""
            let response = try agent.request("PUT", "/1.0/listeners/\(Self.amphora)/\(listener)/udp_listener", body: Data(text.utf8))
            // A disabled pool renders a virtual_server without real servers: keepalived's --config-test exits 5
            // with "has no real servers - ignoring" (a benign warning: keepalived runs and creates no
            // IPVS service for it, so a disabled pool gets no traffic). Accepted like every rendering.
            #expect(response.status == 200, "\(name): \(response.status) \(response.text)\n\(text)")
            let stored = try agent.request("GET", "/1.0/listeners/\(listener)/udp_listener")
            #expect(stored.text == text, "\(config["name"] ?? "")")
        }
        #expect(try agent.request("DELETE", "/1.0/listeners/\(listener)").status == 200)
    }

    @Test("misc_path options for nc or the checker are refused through the agent")
    func miscPathOptionInjectionIsRefused() throws {
        let (ns, agent, basePath) = try LVSListenerTests.startedWithRelocatedBasePath()
        defer { LVSListenerTests.stop(agent, removing: basePath) }
        let listener = UUID().uuidString.lowercased()
        for misc in [
            "\(basePath)/lvs/check/udp_check.sh -e/bin/sh 53", "\(basePath)/lvs/check/udp_check.sh 192.0.2.20 -c",
            "\(basePath)/lvs/check/udp_check.sh 192.0.2.20 53 -e/bin/sh", "amphora-health-checker sctp -t 3 --x 192.0.2.20 53",
        ] {
            let text = LVSListenerTests.config(netns: ns.name, basePath: basePath, listener: listener, misc: misc)
            let response = try agent.request("PUT", "/1.0/listeners/\(Self.amphora)/\(listener)/udp_listener", body: Data(text.utf8))
            #expect(response.status == 400, "\(misc): \(response.text)")
            #expect((response.object["details"] as? String ?? "").contains("misc_path"), "\(response.text)")
        }
    }
}
