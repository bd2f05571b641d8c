import Foundation
import Testing

/// Issue 14 points 4 and 5 through the real agent: `PUT /1.0/config` cannot move a trust anchor,
/// and the helper refuses hostile composite values sent straight to its socket (as a compromised
/// front would).
@Suite("Trust boundary: configuration constants and composite IPC values", .serialized)
struct TrustBoundaryTests {
    @Test("uploadChangingHAProxyCmdIsRefusedByTheAgent: 400 naming the key, stored file unchanged")
    func uploadChangingHAProxyCmdIsRefusedByTheAgent() throws {
        let agent = try AgentHarness.started()
        defer { agent.stop() }
        let original = try String(contentsOfFile: agent.configPath, encoding: .utf8)
        #expect(!original.contains("haproxy_cmd"))
        let hostile = original.replacingOccurrences(of: "[haproxy_amphora]\n", with: "[haproxy_amphora]\nhaproxy_cmd = /bin/sh\n")
        #expect(hostile != original)

        let refused = try agent.request("PUT", "/1.0/config", body: Data(hostile.utf8))
        #expect(refused.status == 400, "\(refused.text)")
        #expect(refused.object["message"] as? String == "Unable to update amphora-agent configuration.")
        let details = refused.object["details"] as? String ?? ""
        #expect(details.contains("[haproxy_amphora] haproxy_cmd:") && details.contains("fixed at deployment"), "\(details)")
        #expect(try String(contentsOfFile: agent.configPath, encoding: .utf8) == original)

        // The same through [privsep]: the front's user cannot become root.
        let root = original.replacingOccurrences(of: "front_user = amphora-front", with: "front_user = root")
        let refusedRoot = try agent.request("PUT", "/1.0/config", body: Data(root.utf8))
        #expect(refusedRoot.status == 400)
        #expect((refusedRoot.object["details"] as? String)?.contains("[privsep] front_user:") == true)
        #expect(try String(contentsOfFile: agent.configPath, encoding: .utf8) == original)

        // Repeating the running values is what the controller does, and is accepted.
        let accepted = try agent.request("PUT", "/1.0/config", body: Data(original.utf8))
        #expect(accepted.status == 202, "\(accepted.text)")
        #expect(try agent.request("GET", "/1.0/info").status == 200)
    }

    @Test("vrrpSecretWithNewlineIsRefusedByTheHelper: a hostile topology change sent to the helper socket")
    func vrrpSecretWithNewlineIsRefusedByTheHelper() throws {
        try AgentHarness.expectingHelperSurvives { agent in
            // The probe works: a well-formed query gets a reply.
            let query = try HelperFrameProbe.send(#"{"version":2,"id":1,"command":{"topology":{}}}"#, to: agent)
            #expect(query.hasPrefix("reply "), "\(query)")

            let marker = "vrrp_script_injected"
            let secret = #"pw\n}\nvrrp_script \#(marker) {\n    script \"/bin/sh -c id\"\n}\nvrrp_instance x {"#
            let hostile = #"{"version":2,"id":1,"command":{"setTopology":{"_0":{"topology":"ACTIVE_STANDBY","role":"ACTIVE","haIP":"203.0.113.2","secret":"\#(secret)"}}}}"#
            #expect(try HelperFrameProbe.send(hostile, to: agent) == "closed")

            let audit = try String(contentsOfFile: agent.auditLog, encoding: .utf8)
            #expect(audit.contains(#""event":"bad-frame""#))
            #expect(audit.contains("secret must be"), "the refusal names the secret")
            #expect(!audit.contains(#""command":"topology-change""#))
            #expect(try HelperFrameProbe.filesContaining(marker, under: agent.directory + "/base").isEmpty)
        }
    }

    @Test("fiftyThousandFixedIPsAreRefusedByTheHelper, and so are 17")
    func fiftyThousandFixedIPsAreRefusedByTheHelper() throws {
        try AgentHarness.expectingHelperSurvives { agent in
            let entry = #"{"address":"192.0.2.10","subnet":"192.0.2.0/24","hostRoutes":[]}"#
            func plug(_ count: Int) -> String {
                let list = Array(repeating: entry, count: count).joined(separator: ",")
                return #"{"version":2,"id":1,"command":{"plugNetwork":{"_0":{"mac":"fa:16:3e:00:00:02","fixedIPs":[\#(list)]}}}}"#
            }
            let huge = plug(50_000)
            #expect(huge.utf8.count < 4 * 1024 * 1024, "within the frame cap: the refusal is the helper's decoding")
            #expect(try HelperFrameProbe.send(huge, to: agent, waitSeconds: 20) == "closed")
            #expect(try HelperFrameProbe.send(plug(17), to: agent) == "closed")

            let audit = try String(contentsOfFile: agent.auditLog, encoding: .utf8)
            #expect(audit.contains("more than 65536 values"), "50,000 entries exceed the JSON element cap")
            #expect(audit.contains("fixed_ips: more than 16 addresses"), "17 entries fail the validating initialiser")
            #expect(!audit.contains(#""command":"plug-network""#))
        }
    }
}

/// Sends one frame to the helper socket as the front's user (through setpriv), the frame bytes on
/// stdin (a frame may be megabytes, more than an argument can carry).
enum HelperFrameProbe {
    static let script = """
        import socket, sys
        frame = sys.stdin.buffer.read()
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(sys.argv[1])
        s.settimeout(float(sys.argv[2]))
        try:
            s.sendall(frame)
            data = s.recv(65536)
            print("closed" if not data else "reply " + data.hex())
        except (ConnectionResetError, BrokenPipeError):
            print("closed")
        except socket.timeout:
            print("timeout")
        """

    static func send(_ json: String, to agent: AgentHarness, waitSeconds: Int = 10) throws -> String {
        let payload = Array(json.utf8)
        let count = UInt32(payload.count)
        let frame = [UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)] + payload
        let result = try Shell.run(
            "/usr/bin/setpriv",
            ["--reuid=amphora-front", "--regid=amphora-front", "--clear-groups", "/usr/bin/python3", "-c", script, agent.helperSocket,
             String(waitSeconds)],
            input: Data(frame), check: false)
        return (result.stdout + result.stderr).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Regular files below `directory` whose contents include `marker`.
    static func filesContaining(_ marker: String, under directory: String) throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            let path = directory + "/" + relative
            if let data = FileManager.default.contents(atPath: path), String(decoding: data, as: UTF8.self).contains(marker) {
                found.append(path)
            }
        }
        return found
    }
}
