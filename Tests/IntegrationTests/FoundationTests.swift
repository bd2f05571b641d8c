import Foundation
import Testing

/// The privilege-split agent end to end: real processes, real mutual TLS, real helper socket.
@Suite("Foundation: agent over mutual TLS", .serialized)
struct FoundationTests {
    @Test("version discovery and both info routes over mutual TLS")
    func infoOverMutualTLS() throws {
        let agent = try AgentHarness.started()
        defer { agent.stop() }

        for path in ["/", "//"] {
            let root = try agent.request("GET", path)
            #expect(root.status == 200)
            #expect(root.headers["content-type"] == "application/json")
            #expect(root.object["api_version"] as? String == "1.0")
        }

        let info = try agent.request("GET", "/1.0/info")
        #expect(info.status == 200)
        #expect(info.headers["content-type"] == "application/json")
        #expect(Set(info.object.keys) == ["hostname", "haproxy_version", "api_version", "keepalived_version", "ipvsadm_version"])
        #expect(info.object["api_version"] as? String == "1.0")
        let haproxyVersion = try #require(info.object["haproxy_version"] as? String)
        #expect(haproxyVersion.range(of: #"^\d+\.\d+"#, options: .regularExpression) != nil)
        #expect(info.object["hostname"] as? String == ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init)
            || (info.object["hostname"] as? String)?.isEmpty == false)

        let seed = try agent.request("GET", "/info")
        #expect(seed.status == 200)
        #expect(seed.object["api_version"] as? String == "0.1")
        #expect(seed.object["uuid"] as? String == AgentHarness.amphoraID)
        #expect(seed.object["haproxy_version"] as? String == haproxyVersion)
    }

    @Test("unknown routes, wrong methods and bad encodings are JSON errors")
    func jsonErrors() throws {
        let agent = try AgentHarness.started()
        defer { agent.stop() }

        for path in ["/nope", "/2.0/info", "/0.5/info", "/1.0/info/extra"] {
            let response = try agent.request("GET", path)
            #expect(response.status == 404, "\(path)")
            #expect(response.headers["content-type"] == "application/json")
            #expect(response.object["http_code"] as? Int == 404)
        }
        let wrongMethod = try agent.request("DELETE", "/1.0/info")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.headers["content-type"] == "application/json")
        #expect(wrongMethod.headers["allow"] == "GET")
        #expect(!wrongMethod.text.contains("Swift"))
    }

    @Test("TLS refuses clients without a certificate, with another CA's certificate, and TLS 1.1")
    func tlsRefusals() throws {
        let agent = try AgentHarness.started()
        defer { agent.stop() }

        // No client certificate: the handshake fails, no HTTP status is ever produced.
        #expect(throws: HarnessError.self) { try agent.request("GET", "/1.0/info", clientCert: "") }

        // A client certificate from another CA (same subject, different key): refused.
        let rogue = agent.directory + "/rogue"
        try Shell.run("/bin/bash", [AgentHarness.repositoryRoot.path + "/scripts/dev-pki.sh", rogue, AgentHarness.amphoraID])
        #expect(throws: HarnessError.self) {
            try agent.request("GET", "/1.0/info", clientCert: rogue + "/client.crt", clientKey: rogue + "/client.key")
        }

        // TLS 1.1 (offered alone, at the lowest security level so the client really sends it): refused by the server.
        let legacy = try Shell.run(
            "/usr/bin/openssl",
            [
                "s_client", "-connect", "127.0.0.1:\(agent.port)", "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0",
                "-cert", agent.pki + "/client.crt", "-key", agent.pki + "/client.key", "-CAfile", agent.pki + "/ca.pem",
            ], input: Data(), check: false)
        #expect(legacy.status != 0)
        #expect(legacy.stdout.contains("Cipher is (NONE)") || legacy.stderr.contains("alert protocol version"))

        // TLS 1.2 and 1.3 work.
        for version in ["--tlsv1.2 --tls-max 1.2", "--tlsv1.3"] {
            let ok = try agent.request("GET", "/", extraCurlArguments: version.split(separator: " ").map(String.init))
            #expect(ok.status == 200, "\(version)")
        }
        // And the agent still serves the controller afterwards.
        #expect(try agent.request("GET", "/1.0/info").status == 200)
    }

    @Test("the helper refuses other uids before reading, and survives hostile frames")
    func helperSocketDefences() throws {
        try AgentHarness.expectingHelperSurvives { agent in
            // Socket and directory permissions.
            let socketMode = try #require(try FileManager.default.attributesOfItem(atPath: agent.helperSocket)[.posixPermissions] as? Int)
            #expect(socketMode == 0o660)
            let directoryMode = try #require(
                try FileManager.default.attributesOfItem(atPath: agent.directory + "/run")[.posixPermissions] as? Int)
            #expect(directoryMode == 0o750)

            // Another unprivileged uid cannot even connect (directory and socket permissions).
            let nobody = try HelperProbe.run(as: "nobody", socket: agent.helperSocket, send: "00000010" + String(repeating: "7b", count: 16))
            #expect(nobody.contains("PermissionError"))

            // root can reach the socket but is not the front: refused by SO_PEERCRED before any byte is read, and audited.
            let asRoot = try HelperProbe.run(as: nil, socket: agent.helperSocket, send: "")
            #expect(asRoot.contains("closed"))
            let audit = try String(contentsOfFile: agent.auditLog, encoding: .utf8)
            #expect(audit.contains(#""event":"peer-rejected","peer_uid":0"#))

            // As the front's user: an oversized frame, a zero-length frame, garbage and a truncated frame each
            // close that connection only.
            for hostile in ["ffffffff", "00000000", "7b7d7b7d7b7d", "000000107b22"] {
                let reply = try HelperProbe.run(as: "amphora-front", socket: agent.helperSocket, send: hostile, waitSeconds: 12)
                #expect(reply.contains("closed"), "\(hostile): \(reply)")
            }
            // A well-formed frame with an unknown command is refused too (closed enum, strict decoding).
            let unknown = #"{"version":2,"id":1,"command":{"reboot":{}}}"#
            let unknownHex = String(format: "%08x", unknown.utf8.count) + unknown.utf8.map { String(format: "%02x", $0) }.joined()
            #expect(try HelperProbe.run(as: "amphora-front", socket: agent.helperSocket, send: unknownHex).contains("closed"))

            let after = try String(contentsOfFile: agent.auditLog, encoding: .utf8)
            #expect(after.contains(#""event":"bad-frame""#))
            #expect(after.contains("exceeds the"))
        }
    }

    @Test("the audit chain verifies, and an edited record is found")
    func auditChain() throws {
        let agent = try AgentHarness.started()
        _ = try agent.request("GET", "/1.0/info")
        // The head /1.0/details reports is an anchor the controller keeps.
        let details = try agent.request("GET", "/1.0/details")
        let object = try #require(try JSONSerialization.jsonObject(with: details.body) as? [String: Any])
        let head = try #require(object["audit_head"] as? [String: Any])
        let anchor = "\(try #require(head["seq"] as? Int)):\(try #require(head["hash"] as? String))"
        #expect(agent.stop() == 0)

        let helper = AgentHarness.binDirectory + "/amphora-helper"
        let intact = try Shell.run(helper, ["audit-verify", agent.auditLog], check: false)
        #expect(intact.status == 0, "\(intact.stdout)\(intact.stderr)")
        #expect(intact.stdout.contains("intact"))
        // With the seed the helper exported at its first start: every seal, and the anchor.
        let directory = agent.directory + "/audit"
        let sealed = try Shell.run(helper, ["audit-verify", "--key", agent.auditLog + ".seed", "--anchor", anchor, directory], check: false)
        #expect(sealed.status == 0, "\(sealed.stdout)\(sealed.stderr)")
        #expect(sealed.stdout.contains("seals verified"))
        let shown = try Shell.run(helper, ["audit-show", "--event", "exec-intent", "--program", "dpkg-query", directory], check: false)
        #expect(shown.status == 0 && shown.stdout.contains("exec-intent"), "\(shown.stdout)\(shown.stderr)")

        let lines = try String(contentsOfFile: agent.auditLog, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count >= 4)
        #expect(lines.contains { $0.contains(#""event":"exec-intent""#) && $0.contains("dpkg-query") })
        #expect(lines.contains { $0.contains(#""event":"exec-outcome""#) && $0.contains(#""exit_code":0"#) })
        #expect(!lines.contains { $0.contains("PRIVATE KEY") })

        // Edit record 3 in place: its own hash no longer matches.
        var edited = lines
        edited[2] = edited[2].replacingOccurrences(of: #""event":""#, with: #""event":"x"#)
        let editedPath = agent.directory + "/edited.jsonl"
        try (edited.joined(separator: "\n") + "\n").write(toFile: editedPath, atomically: true, encoding: .utf8)
        let broken = try Shell.run(helper, ["audit-verify", editedPath], check: false)
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("line 3"))

        // A log cut before the anchored record fails with the anchor.
        try (lines.prefix(2).joined(separator: "\n") + "\n").write(toFile: editedPath, atomically: true, encoding: .utf8)
        let cut = try Shell.run(helper, ["audit-verify", "--anchor", anchor, editedPath], check: false)
        #expect(cut.status == 1)
        #expect(cut.stdout.contains("truncated"))

        // Remove record 2: the chain breaks at the record after the gap.
        var removed = lines
        removed.remove(at: 1)
        try (removed.joined(separator: "\n") + "\n").write(toFile: editedPath, atomically: true, encoding: .utf8)
        let gap = try Shell.run(helper, ["audit-verify", editedPath], check: false)
        #expect(gap.status == 1)
        #expect(gap.stdout.contains("line 2"))
    }

    @Test("SIGTERM stops the agent cleanly and leaves no process behind")
    func sigtermLeavesNothing() throws {
        let agent = try AgentHarness.started()
        let children = agent.descendants()
        // helper, the launcher, front, amphora-prometheus-proxy (direct mode)
        #expect(children.count == 4, "\(children.map(ProcessTable.commandLine))")
        let front = try #require(agent.pid(of: "amphora-front"))
        #expect(ProcessTable.status(front, "Uid")?.hasPrefix("0") == false)
        #expect(ProcessTable.status(front, "CapEff") == "0000000000000000")
        #expect(ProcessTable.status(front, "CapPrm") == "0000000000000000")
        #expect(ProcessTable.status(front, "NoNewPrivs") == "1")

        #expect(agent.stop() == 0)
        Thread.sleep(forTimeInterval: 0.2)
        for pid in children {
            #expect(!ProcessTable.isAlive(pid), "pid \(pid) (\(ProcessTable.commandLine(pid))) survived")
        }
        #expect(!FileManager.default.fileExists(atPath: "/proc/\(agent.agentPID ?? 0)/status") || agent.agentPID == nil)
    }

    @Test("a helper that dies is restarted and the front reconnects")
    func helperRestart() throws {
        let agent = try AgentHarness.started()
        defer { agent.stop() }
        let helper = try #require(agent.pid(of: "amphora-helper serve"))
        kill(helper, SIGKILL)
        let deadline = Date().addingTimeInterval(30)
        var answered = false
        while Date() < deadline {
            if let response = try? agent.request("GET", "/1.0/info"), response.status == 200 {
                answered = true
                break
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        #expect(answered)
        #expect(agent.pid(of: "amphora-helper serve") != helper)
    }

    @Test(
        "a launcher that dies takes the helper with it (a confined helper cannot start another); both come back",
        arguments: [false, true])
    func launcherLoss(duringCommands: Bool) throws {
        let agent = try AgentHarness.started()
        defer { agent.stop() }
        let helper = try #require(agent.pid(of: "amphora-helper serve"))
        let launcher = try #require(agent.pid(of: "amphora-helper launcher"))
        let lb = UUID().uuidString.lowercased()
        let config = HAProxyLifecycleTests.config(listener: lb, pool: "pool-\(lb.prefix(8))", member: "member-\(lb.prefix(8))", marker: "v1")
        let path = "/1.0/loadbalancer/\(AgentHarness.amphoraID)/\(lb)/haproxy"
        if duringCommands {
            // Commands on every channel while the launcher dies: each is answered, as JSON.
            let answers = LockedAnswers()
            let group = DispatchGroup()
            for index in 0..<6 {
                DispatchQueue.global().async(group: group) {
                    let response = index % 2 == 0
                        ? try? agent.request("PUT", path, body: Data(config.utf8)) : try? agent.request("GET", "/1.0/details")
                    answers.add(response.map { ($0.status, $0.headers["content-type"] ?? "") })
                }
            }
            usleep(30_000)
            kill(launcher, SIGKILL)
            group.wait()
            for answer in answers.all {
                let (status, type) = try #require(answer, "a request got no answer")
                #expect(status == 200 || status == 202 || type == "application/json", "\(status) \(type)")
            }
        } else {
            kill(launcher, SIGKILL)
        }
        // The helper notices at once (it watches the launcher's channels), not at the next command.
        #expect(waitUntil(30) { ProcessTable.isAlive(helper) == false })
        #expect(waitUntil(30) { (try? agent.request("PUT", path, body: Data(config.utf8)))?.status == 202 })
        let newHelper = try #require(agent.pid(of: "amphora-helper serve"))
        let newLauncher = try #require(agent.pid(of: "amphora-helper launcher"))
        #expect(newHelper != helper)
        #expect(newLauncher != launcher)
        #expect(agent.log().components(separatedBy: "the launcher exited; the helper stops").count == 2)
        #expect(agent.log().contains("helper exited (exit status 70); restarting"))
    }

    /// Answers collected from several threads.
    final class LockedAnswers: @unchecked Sendable {
        private let lock = NSLock()
        private var answers: [(Int, String)?] = []
        func add(_ answer: (Int, String)?) { lock.withLock { answers.append(answer) } }
        var all: [(Int, String)?] { lock.withLock { answers } }
    }

    @Test(
        "bad configurations exit non-zero with one line naming the problem",
        arguments: [
            ("[amphora_agent]\namphora_id = NOT-A-UUID\n", "amphora_id"),
            ("front_user = no-such-user-xyz\n", "no-such-user-xyz"),
            ("agent_server_cert = /nonexistent/server.pem\n", "/nonexistent/server.pem"),
        ])
    func badConfiguration(extra: String, mentions: String) throws {
        let agent = try AgentHarness()
        // Later keys win in oslo.config files, so appending overrides the harness's values.
        var config = try String(contentsOfFile: agent.configPath, encoding: .utf8)
        if extra.hasPrefix("[") {
            config += "\n" + extra
        } else if extra.hasPrefix("front_user") {
            config += "\n[privsep]\n" + extra
        } else {
            config += "\n[amphora_agent]\n" + extra
        }
        try config.write(toFile: agent.configPath, atomically: true, encoding: .utf8)
        let result = try Shell.run(AgentHarness.binDirectory + "/amphora-agent", ["--config-file", agent.configPath], check: false)
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n").filter { !$0.contains("warning") }
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(mentions), "\(result.stderr)")
    }
}

extension FoundationTests {
    @Test("the agent refuses to start when amphora-health-checker is missing beside it, or its directory is not root's alone")
    func healthCheckerBesideTheAgent() throws {
        // Hard links of our binaries in a directory of their own (same filesystem as the build).
        let directory = AgentHarness.repositoryRoot.path + "/.build/it-bin-" + String(UUID().uuidString.prefix(8))
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        chmod(directory, 0o755)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for name in ["amphora-agent", "amphora-helper", "amphora-front", "amphora-prometheus-proxy"] {
            let source = URL(fileURLWithPath: AgentHarness.binDirectory + "/" + name).resolvingSymlinksInPath().path
            try #require(link(source, directory + "/" + name) == 0, "link \(name): errno \(errno)")
        }
        let agent = try AgentHarness()
        let missing = try Shell.run(directory + "/amphora-agent", ["--config-file", agent.configPath], check: false)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("amphora-health-checker"), "\(missing.stderr)")

        let checker = URL(fileURLWithPath: AgentHarness.binDirectory + "/amphora-health-checker").resolvingSymlinksInPath().path
        try #require(link(checker, directory + "/amphora-health-checker") == 0)
        chmod(directory, 0o775)  // group-writable: someone else could replace what keepalived runs as root
        let unsafe = try Shell.run(directory + "/amphora-agent", ["--config-file", agent.configPath], check: false)
        #expect(unsafe.status != 0)
        #expect(unsafe.stderr.contains("must be owned by root and writable by root only"), "\(unsafe.stderr)")
    }
}

/// Connects to the helper socket (optionally as another user, through setpriv) and sends raw bytes.
enum HelperProbe {
    static let script = """
        import socket, sys, binascii
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(sys.argv[1])
        except PermissionError as e:
            print("PermissionError"); sys.exit(0)
        s.settimeout(float(sys.argv[3]))
        try:
            s.sendall(binascii.unhexlify(sys.argv[2]))
            data = s.recv(65536)
            print("closed" if not data else "reply " + data.hex())
        except (ConnectionResetError, BrokenPipeError):
            print("closed")
        except socket.timeout:
            print("timeout")
        """

    static func run(as user: String?, socket: String, send hex: String, waitSeconds: Int = 5) throws -> String {
        var arguments = ["-c", script, socket, hex, String(waitSeconds)]
        var executable = "/usr/bin/python3"
        if let user {
            executable = "/usr/bin/setpriv"
            arguments = ["--reuid=\(user)", "--regid=\(user == "nobody" ? "nogroup" : user)", "--clear-groups", "/usr/bin/python3"] + arguments
        }
        let result = try Shell.run(executable, arguments, check: false)
        return result.stdout + result.stderr
    }
}

extension FoundationTests {
    /// The supervisor starts the front while the helper boots: when the helper then fails, the
    /// agent exits with the helper's reason and leaves no front behind.
    @Test("a helper that fails at start takes down the front started beside it; the agent exits naming the problem")
    func helperFailureStopsTheFront() throws {
        let agent = try AgentHarness()
        var config = try String(contentsOfFile: agent.configPath, encoding: .utf8)
        // The supervisor does not touch the audit log; the helper cannot make its directory.
        config += "\n[privsep]\naudit_log = /dev/null/no-directory/audit.jsonl\n"
        try config.write(toFile: agent.configPath, atomically: true, encoding: .utf8)
        let result = try Shell.run(AgentHarness.binDirectory + "/amphora-agent", ["--config-file", agent.configPath], check: false)
        #expect(result.status != 0)
        #expect(result.stderr.contains("/dev/null/no-directory"), "\(result.stderr)")
        #expect(result.stderr.contains("the helper failed to start"), "\(result.stderr)")
        // Every front this agent started carried its helper socket on its command line.
        let fronts = try FileManager.default.contentsOfDirectory(atPath: "/proc").filter { entry in
            guard let pid = Int32(entry) else { return false }
            return ProcessTable.commandLine(pid).contains(agent.helperSocket)
        }
        #expect(fronts.isEmpty, "front processes left running: \(fronts)")
    }
}
