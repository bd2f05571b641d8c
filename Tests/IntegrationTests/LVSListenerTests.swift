import Crypto
import Foundation
import Testing

/// UDP listeners (`PUT/GET /1.0/listeners/.../udp_listener`): keepalived LVS configurations checked
/// against policy/keepalived-lvs.txt and `keepalived --config-test`, stored 0600 under base_path/lvs,
/// listed with type UDP, started through `PUT /1.0/loadbalancer/<listener>/start|reload` (a clear 500
/// on a kernel without IP_VS, as this one), deleted through `DELETE /1.0/listeners/<listener>`.
@Suite("UDP listeners", .serialized, .timeLimit(.minutes(3)))
struct LVSListenerTests {
    static let amphora = AgentHarness.amphoraID

    static func md5(_ text: String) -> String { Insecure.MD5.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined() }

    /// A configuration as Octavia's LVS templater renders it (octavia/common/jinja/lvs), for `netns`.
    static func config(netns: String, basePath: String, listener: String, misc: String? = nil, extra: String = "") -> String {
        let check = misc ?? "\(basePath)/lvs/check/udp_check.sh 192.0.2.20 53"
        return """
            # Configuration for Loadbalancer 11111111-2222-4333-8444-555555555555
            # Configuration for Listener \(listener)

            net_namespace \(netns)
            \(extra)
            virtual_server_group ipv4-group {
                203.0.113.100 53
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


                # Configuration for Pool 99999999-0000-4000-8000-0000000000aa
                # Configuration for Member 99999999-0000-4000-8000-0000000000cc
                real_server 192.0.2.20 53 {
                    weight 13
                    uthreshold 98
                    MISC_CHECK {
                        misc_path "\(check)"
                        misc_timeout 31
                    }
                }

            }

            """
    }

    /// Moves the harness agent's base_path to a fresh root-only directory under /run (removed by the caller):
    /// keepalived refuses to run check scripts whose path has a world-writable directory such as /tmp.
    static func relocateBasePath(_ agent: AgentHarness) throws -> String {
        let basePath = "/run/amphora-it-base-" + String(UUID().uuidString.lowercased().prefix(8))
        let text = try String(contentsOfFile: agent.configPath, encoding: .utf8)
        let old = "base_path = \(agent.directory)/base"
        guard text.contains(old) else { throw HarnessError("no base_path line in the harness configuration") }
        try text.replacingOccurrences(of: old, with: "base_path = \(basePath)").write(toFile: agent.configPath, atomically: true, encoding: .utf8)
        return basePath
    }

    /// A harness agent in a fresh namespace whose base_path is relocated (`relocateBasePath`), started; the
    /// caller stops it and then removes the base path (`stop(_:removing:)`; removed here if the agent does not start).
    static func startedWithRelocatedBasePath() throws -> (netns: TestNamespace, agent: AgentHarness, basePath: String) {
        let netns = try TestNamespace()
        let agent = try AgentHarness(extraConfig: "netns = \(netns.name)")
        let basePath = try relocateBasePath(agent)
        do {
            try agent.start()
        } catch {
            try? FileManager.default.removeItem(atPath: basePath)
            throw error
        }
        return (netns, agent, basePath)
    }

    /// Stops `agent`, then removes its relocated `basePath`.
    static func stop(_ agent: AgentHarness, removing basePath: String) {
        agent.stop()
        try? FileManager.default.removeItem(atPath: basePath)
    }

    static func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? nil
    }

    @Test("upload, policy and config-test refusals, storage 0600, GET, listing as UDP, IP_VS error, delete")
    func lifecycle() throws {
        // keepalived refuses check scripts below a world-writable directory (/tmp): a root-only base_path.
        let (netns, agent, basePath) = try Self.startedWithRelocatedBasePath()
        defer { Self.stop(agent, removing: basePath) }
        let listener = UUID().uuidString.lowercased()
        let path = "/1.0/listeners/\(Self.amphora)/\(listener)/udp_listener"
        let good = Self.config(netns: netns.name, basePath: basePath, listener: listener)

        // Nothing yet: 404 with upstream's JSON body.
        let missing = try agent.request("GET", "/1.0/listeners/\(listener)/udp_listener")
        #expect(missing.status == 404)
        #expect(missing.headers["content-type"] == "application/json")
        #expect(missing.object["message"] as? String == "UDP Listener Not Found")
        #expect(missing.object["details"] as? String == "No UDP listener with UUID: \(listener)")

        let upload = try agent.request("PUT", path, body: Data(good.utf8))
        #expect(upload.status == 200, "\(upload.text)")
        #expect(upload.object["message"] as? String == "OK")
        #expect(upload.headers["etag"] == Self.md5(good))

        let file = "\(basePath)/lvs/octavia-keepalivedlvs-\(listener).conf"
        // Stored behind the agent's own global_defs (keepalived's script security); GET answers the upload.
        let storedText = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        #expect(storedText.hasSuffix(good) && storedText.hasPrefix("# Added by the amphora agent") && storedText.contains("enable_script_security"))
        #expect(Self.mode(file) == 0o600)
        #expect(Self.mode("\(basePath)/lvs") == 0o700)
        #expect(Self.mode("\(basePath)/lvs/check/udp_check.sh") == 0o700, "the agent writes its own check script")
        // keepalived (root) would disable the check script below a directory others may write: 500, nothing checked or stored.
        chmod("\(basePath)/lvs/check", 0o777)
        let unsafe = try agent.request("PUT", path, body: Data(good.replacingOccurrences(of: "delay_loop 30", with: "delay_loop 31").utf8))
        #expect(unsafe.status == 500, "\(unsafe.text)")
        #expect(unsafe.object["message"] as? String == "keepalived would not run the UDP check script", "\(unsafe.text)")
        #expect(unsafe.object["details"] as? String == "\(basePath)/lvs/check is writable by others than root", "\(unsafe.text)")
        #expect((try? String(contentsOfFile: file, encoding: .utf8)) == storedText)
        chmod("\(basePath)/lvs/check", 0o700)

        let stored = try agent.request("GET", "/1.0/listeners/\(listener)/udp_listener")
        #expect(stored.status == 200)
        #expect(stored.text == good)
        #expect(stored.headers["content-type"]?.hasPrefix("text/plain") == true)

        let details = try agent.request("GET", "/1.0/details")
        #expect((details.object["listeners"] as? [String] ?? []).contains(listener), "\(details.text)")
        #expect(details.object["lvs_listener_process_count"] as? Int == 0)

        let listed = try agent.request("GET", "/1.0/listeners")
        let entries = listed.json as? [[String: String]] ?? []
        #expect(entries.contains(["status": "OFFLINE", "uuid": listener, "type": "UDP"]), "\(listed.text)")

        // Refusals: each leaves the stored configuration as it was.
        let refused: [(String, String, String)] = [
            ("a foreign MISC_CHECK script", Self.config(netns: netns.name, basePath: basePath, listener: listener, misc: "/bin/sh -c reboot"),
             "may only run the agent's own check programs"),
            ("shell syntax in the check's arguments",
             Self.config(netns: netns.name, basePath: basePath, listener: listener, misc: "\(basePath)/lvs/check/udp_check.sh 1.2.3.4;reboot 53"),
             "may only run the agent's own check programs"),
            ("an include", Self.config(netns: netns.name, basePath: basePath, listener: listener, extra: "include /etc/keepalived/other.conf"),
             "include is not allowed"),
            ("global_defs (script_user, notify scripts)",
             Self.config(netns: netns.name, basePath: basePath, listener: listener, extra: "global_defs {\n    script_user root\n}"),
             "keyword 'global_defs' is not allowed"),
            ("a VRRP instance", Self.config(netns: netns.name, basePath: basePath, listener: listener, extra: "vrrp_instance x {\n}"),
             "keyword 'vrrp_instance' is not allowed"),
            ("another namespace", Self.config(netns: "elsewhere", basePath: basePath, listener: listener),
             "must be the amphora namespace"),
            ("a parameter line", Self.config(netns: netns.name, basePath: basePath, listener: listener, extra: "$X=1"),
             "parameter definitions ('$') are not allowed"),
            ("unbalanced braces", good + "virtual_server group ipv4-group {\n", "unclosed block"),
            ("not a keepalived configuration at all", "hello world\n", "keyword 'hello' is not allowed"),
            ("a value keepalived --config-test refuses", good.replacingOccurrences(of: "lb_kind NAT", with: "lb_kind BOGUS"), ""),
        ]
        for (what, text, words) in refused {
            let response = try agent.request("PUT", path, body: Data(text.utf8))
            #expect(response.status == 400, "\(what): \(response.status) \(response.text)")
            #expect(response.object["message"] as? String == "Invalid request", "\(what)")
            if !words.isEmpty { #expect((response.object["details"] as? String ?? "").contains(words), "\(what): \(response.text)") }
        }
        #expect((try? String(contentsOfFile: file, encoding: .utf8)) == storedText, "a refused upload never replaces the stored file")
        #expect(try agent.request("PUT", "/1.0/listeners/\(Self.amphora)/not-a-uuid/udp_listener", body: Data(good.utf8)).status == 400)

        // A kernel without IP_VS (this machine's): start and reload fail at once with a 500 that names it,
        // and nothing runs. (On a kernel with IP_VS, LVSRunningTests covers starting.)
        if !KernelFeatures.ipvs {
            for action in ["start", "reload"] {
                let started = Date()
                let response = try agent.request("PUT", "/1.0/loadbalancer/\(listener)/\(action)")
                #expect(response.status == 500, "\(action): \(response.text)")
                #expect(response.headers["content-type"] == "application/json")
                let verb = action == "reload" ? "restart" : "start"
                #expect(response.object["message"] as? String == "Failed to \(verb) keepalivedlvs listener \(listener)")
                #expect((response.object["details"] as? String ?? "").contains("IP Virtual Server support (IP_VS)"), "\(response.text)")
                #expect(Date().timeIntervalSince(started) < 5)
            }
            let daemons = agent.descendants().map(ProcessTable.commandLine).filter { $0.hasPrefix("/usr/sbin/keepalived") || $0.hasPrefix("keepalived") }
            #expect(daemons.isEmpty, "\(daemons)")
        }
        let bogus = try agent.request("PUT", "/1.0/loadbalancer/\(listener)/bogus")
        #expect(bogus.status == 400)
        #expect(bogus.object["details"] as? String == "Unknown action: bogus")

        // Delete: 200, files gone, listing empty; a second delete is still 200.
        let deleted = try agent.request("DELETE", "/1.0/listeners/\(listener)")
        #expect(deleted.status == 200, "\(deleted.text)")
        #expect(!FileManager.default.fileExists(atPath: file))
        #expect(try agent.request("GET", "/1.0/listeners/\(listener)/udp_listener").status == 404)
        #expect((try agent.request("GET", "/1.0/listeners").json as? [Any])?.isEmpty == true)
        #expect(try agent.request("DELETE", "/1.0/listeners/\(listener)").status == 200)
        #expect(try agent.request("PUT", "/1.0/loadbalancer/\(listener)/start").status == 404)
    }
}
