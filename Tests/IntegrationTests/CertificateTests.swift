import Crypto
import Foundation
import Testing

/// Certificates on tmpfs through both API versions, and hot rotation of the agent's own certificate.
@Suite("Certificates", .serialized, .timeLimit(.minutes(3)))
struct CertificateTests {
    static let amphora = AgentHarness.amphoraID

    /// Test material signed by the harness CA: RSA, EC, an intermediate chain, mismatched, expired.
    struct Material {
        let dir: String
        func text(_ name: String) throws -> String { try String(contentsOfFile: dir + "/" + name, encoding: .utf8) }

        static func make(in agent: AgentHarness) throws -> Material {
            let dir = agent.directory + "/material"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let script = """
                set -e
                cd "$1"; ca="$2"
                o() { openssl "$@" 2>/dev/null; }
                o req -newkey rsa:2048 -nodes -keyout rsa.key -out rsa.csr -subj "/CN=www.example.com"
                o x509 -req -in rsa.csr -CA "$ca/ca.pem" -CAkey "$ca/ca.key" -CAcreateserial -out rsa.crt -days 5
                o req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ec.key -out ec.csr -subj "/CN=*.example.org"
                o x509 -req -in ec.csr -CA "$ca/ca.pem" -CAkey "$ca/ca.key" -CAcreateserial -out ec.crt -days 5
                o req -newkey rsa:2048 -nodes -keyout int.key -out int.csr -subj "/CN=intermediate"
                printf 'basicConstraints=critical,CA:TRUE\\n' > int.ext
                o x509 -req -in int.csr -CA "$ca/ca.pem" -CAkey "$ca/ca.key" -CAcreateserial -out int.crt -days 5 -extfile int.ext
                o req -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr -subj "/CN=chain.example.net"
                o x509 -req -in leaf.csr -CA int.crt -CAkey int.key -CAcreateserial -out leaf.crt -days 5
                o req -newkey rsa:2048 -nodes -keyout rot.key -out rot.csr -subj "/CN=$3"
                printf 'subjectAltName=DNS:%s\\n' "$3" > rot.ext
                o x509 -req -in rot.csr -CA "$ca/ca.pem" -CAkey "$ca/ca.key" -CAcreateserial -out rot.crt -days 5 -extfile rot.ext
                printf '[ca]\\ndefault_ca = d\\n[d]\\ndir = .\\ndatabase = index.txt\\nnew_certs_dir = .\\nserial = serial\\ndefault_md = sha256\\npolicy = p\\nunique_subject = no\\n[p]\\ncommonName = supplied\\n' > ca.cnf
                touch index.txt; echo 1000 > serial
                o ca -batch -config ca.cnf -cert "$ca/ca.pem" -keyfile "$ca/ca.key" -in rot.csr -out expired.crt -startdate 20200101000000Z -enddate 20200102000000Z -notext
                """
            try Shell.run("/bin/bash", ["-c", script, "material", dir, agent.pki, AgentHarness.amphoraID])
            return Material(dir: dir)
        }
    }

    static func md5(_ text: String) -> String { Insecure.MD5.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined() }

    /// Uploads the RSA bundle as `x.pem` for a fresh load balancer id: that id and the answer.
    static func uploadRSABundle(to agent: AgentHarness) throws -> (String, AgentHarness.Response) {
        let m = try Material.make(in: agent)
        let lb = UUID().uuidString.lowercased()
        return (lb, try agent.request("PUT", "/1.0/loadbalancer/\(lb)/certificates/x.pem", body: Data((try m.text("rsa.crt") + m.text("rsa.key")).utf8)))
    }

    func agentWithListener() throws -> (AgentHarness, String) {
        let agent = try AgentHarness.started()
        let listener = UUID().uuidString.lowercased()
        let config = "global\n    maxconn 16\ndefaults\n    retries 3\nfrontend \(listener)\n    bind 127.0.0.1:9\n    mode tcp\n    timeout client 1s\n"
        let upload = try agent.request("PUT", "/v0.1/listeners/\(Self.amphora)/\(listener)/haproxy", body: Data(config.utf8))
        #expect(upload.status == 201, "\(upload.text)")
        return (agent, listener)
    }

    @Test("v0.1: RSA, EC and chained bundles in either order; the spec's errors; md5; delete")
    func seedCertificates() throws {
        let (agent, listener) = try agentWithListener()
        defer { agent.stop() }
        let m = try Material.make(in: agent)
        let base = "/v0.1/listeners/\(listener)/certificates/"

        let rsa = try m.text("rsa.key") + m.text("rsa.crt")
        let put = try agent.request("PUT", base + "www.example.com.pem", body: Data(rsa.utf8))
        #expect(put.status == 201, "\(put.text)")
        let md5 = try agent.request("GET", base + "www.example.com.pem")
        #expect(md5.status == 200)
        #expect(md5.object["md5sum"] as? String == Self.md5(rsa))

        let ec = try m.text("ec.crt") + m.text("ec.key")  // certificate first, as the 1.0 controller sends it
        #expect(try agent.request("PUT", base + "WILDCARD.example.org.pem", body: Data(ec.utf8)).status == 201)
        let chain = try m.text("leaf.key") + m.text("leaf.crt") + m.text("int.crt")
        #expect(try agent.request("PUT", base + "chain.example.net.pem", body: Data(chain.utf8)).status == 201)

        let cases: [(String, String, String)] = [
            (try m.text("rsa.crt") + m.text("ec.key"), "www.example.com.pem", "Certificate and key do not match"),
            (try m.text("rsa.crt"), "www.example.com.pem", "No RSA key found"),
            (try m.text("rsa.key"), "www.example.com.pem", "No certificate found"),
            ("garbage", "www.example.com.pem", "No certificate found"),
        ]
        for (body, file, message) in cases {
            let r = try agent.request("PUT", base + file, body: Data(body.utf8))
            #expect(r.status == 400, "\(message)")
            #expect(r.object["message"] as? String == message)
        }
        let missingListener = UUID().uuidString.lowercased()
        let r404 = try agent.request("PUT", "/v0.1/listeners/\(missingListener)/certificates/www.example.com.pem", body: Data(rsa.utf8))
        #expect(r404.status == 404)
        #expect(r404.object["message"] as? String == "Listener Not Found")
        let missingCert = try agent.request("GET", base + "nothing.example.com.pem")
        #expect(missingCert.status == 404)
        #expect(missingCert.object["message"] as? String == "Certificate Not Found")
        #expect(missingCert.object["details"] as? String == "No certificate with file name: nothing.example.com.pem", "the seed spec's words")
        let missingDelete = try agent.request("DELETE", base + "nothing.example.com.pem")
        #expect(missingDelete.status == 404)
        #expect(missingDelete.object["details"] as? String == "No certificate with file name: nothing.example.com.pem")

        // The file name *should* be the CN: another name is accepted, stored and served as such.
        let other = try agent.request("PUT", base + "not-the-cn.pem", body: Data(rsa.utf8))
        #expect(other.status == 201, "\(other.text)")
        #expect(try agent.request("GET", base + "not-the-cn.pem").object["md5sum"] as? String == Self.md5(rsa))
        #expect(try agent.request("DELETE", base + "not-the-cn.pem").status == 200)

        // Modes: files 0600, directories 0700.
        let dir = agent.certificateDirectory + "/" + listener
        #expect(try FileManager.default.attributesOfItem(atPath: dir)[.posixPermissions] as? Int == 0o700)
        #expect(try FileManager.default.attributesOfItem(atPath: dir + "/www.example.com.pem")[.posixPermissions] as? Int == 0o600)

        for file in ["www.example.com.pem", "WILDCARD.example.org.pem"] {
            #expect(try agent.request("DELETE", base + file).status == 200)
        }
        #expect(try agent.request("DELETE", base + "www.example.com.pem").status == 404)
        #expect(FileManager.default.fileExists(atPath: dir))
        #expect(try agent.request("DELETE", base + "chain.example.net.pem").status == 200)
        #expect(!FileManager.default.fileExists(atPath: dir), "the emptied directory is removed")

        // No key material in any log.
        for log in [agent.logPath, agent.auditLog] {
            let text = try String(contentsOfFile: log, encoding: .utf8)
            #expect(!text.contains("PRIVATE KEY"))
            #expect(!text.contains("BEGIN CERTIFICATE"))
        }
    }

    @Test("1.0: bundles, CA files and crt-lists; idempotent delete; hostile names create nothing outside")
    func currentCertificates() throws {
        let agent = try AgentHarness.started()
        defer { agent.stop() }
        let m = try Material.make(in: agent)
        let lb = UUID().uuidString.lowercased()
        let base = "/1.0/loadbalancer/\(lb)/certificates/"
        // The 1.0 controller uploads certificates before the haproxy config: the directory is created.
        let bundle = try m.text("rsa.crt") + m.text("rsa.key")
        let put = try agent.request("PUT", base + "\(UUID().uuidString.lowercased()).pem", body: Data(bundle.utf8))
        #expect(put.status == 200, "\(put.text)")
        #expect(put.headers["etag"] == Self.md5(bundle))
        let caFile = "\(String(repeating: "ab", count: 20)).pem"
        #expect(try agent.request("PUT", base + caFile, body: Data(try m.text("int.crt").utf8)).status == 200)
        let crtList = "\(agent.certificateDirectory)/\(lb)/x.pem [ssl-min-ver TLSv1.2]\n"
        #expect(try agent.request("PUT", base + "\(lb).pem", body: Data(crtList.utf8)).status == 200)
        let get = try agent.request("GET", base + caFile)
        #expect(get.object["md5sum"] as? String == Self.md5(try m.text("int.crt")))
        #expect(get.headers["etag"] == get.object["md5sum"] as? String)
        #expect(try agent.request("PUT", base + "junk.pem", body: Data("-----BEGIN CERTIFICATE-----\nnope\n".utf8)).status == 400)

        #expect(try agent.request("DELETE", base + caFile).status == 200)
        #expect(try agent.request("DELETE", base + caFile).status == 200)
        #expect(try agent.request("GET", base + caFile).status == 404)

        let before = Set(try FileManager.default.subpathsOfDirectory(atPath: agent.directory))
        for name in ["..%2F..%2Fetc%2Fshadow.pem", "a.pem%2F..%2Fx", "%2e%2e.pem", "x.pem%00.txt", "..", ".pem", "%252e%252e.pem",
                     "a%5Cb.pem", String(repeating: "a", count: 300) + ".pem", "%EF%BC%8E%EF%BC%8E.pem"] {
            let r = try agent.request("PUT", base + name, body: Data(bundle.utf8), extraCurlArguments: ["--path-as-is"])
            #expect(r.status == 400 || r.status == 404, "\(name): \(r.status)")
            #expect(r.headers["content-type"] == "application/json")
        }
        let after = Set(try FileManager.default.subpathsOfDirectory(atPath: agent.directory))
        #expect(after.subtracting(before).filter { !$0.hasPrefix("h-") && !$0.hasPrefix("b-") && !$0.contains("audit") }.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: "/etc/shadow.pem"))
    }

    @Test("1.0: a Lua chunk in a certificate upload, an unknown PEM label, a crt-list naming a root file: 400, nothing stored")
    func luaPayloadBeforePEMBlockIsRefused() throws {
        let agent = try AgentHarness.started()
        defer { agent.stop() }
        let m = try Material.make(in: agent)
        let lb = UUID().uuidString.lowercased()
        let base = "/1.0/loadbalancer/\(lb)/certificates/"
        let lua = "core.register_init(function() os.execute('touch \(agent.directory)/pwned') end)\n"
        let cases = [
            lua + (try m.text("rsa.crt")) + (try m.text("rsa.key")),
            (try m.text("rsa.crt")) + "-----BEGIN LUA-----\nY29yZS5yZWdpc3Rlcl9pbml0KCk=\n-----END LUA-----\n",
            lua,
            "/etc/shadow\n",
            "\(agent.certificateDirectory)/\(lb)/x.pem [ca-ignore-err all]\n",
        ]
        for (index, body) in cases.enumerated() {
            let r = try agent.request("PUT", base + "payload\(index).pem", body: Data(body.utf8))
            #expect(r.status == 400, "case \(index): \(r.status) \(r.text)")
            #expect(r.headers["content-type"] == "application/json")
            #expect(try agent.request("GET", base + "payload\(index).pem").status == 404, "case \(index) was not stored")
        }
        #expect(!FileManager.default.fileExists(atPath: agent.directory + "/pwned"))
        // What the controller sends still goes through.
        let bundle = try m.text("rsa.crt") + m.text("rsa.key")
        #expect(try agent.request("PUT", base + "good.pem", body: Data(bundle.utf8)).status == 200)
        let crtList = "\(agent.certificateDirectory)/\(lb)/good.pem\n"
        #expect(try agent.request("PUT", base + "\(lb).pem", body: Data(crtList.utf8)).status == 200)
    }

    @Test("rotation to a certificate OpenSSL accepts but BoringSSL cannot serve (Ed448): 400, the old identity stays, a restart still serves")
    func rotationBoringSSLCannotServeKeepsTheOldIdentity() throws {
        let agent = try AgentHarness.started()
        defer { agent.stop() }
        let dir = agent.directory + "/ed448"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let script = """
            set -e
            cd "$1"; ca="$2"
            openssl genpkey -algorithm ed448 -out ed.key 2>/dev/null
            openssl req -new -key ed.key -subj "/CN=$3" -out ed.csr 2>/dev/null
            openssl x509 -req -in ed.csr -CA "$ca/ca.pem" -CAkey "$ca/ca.key" -CAcreateserial -out ed.crt -days 5 2>/dev/null
            """
        try Shell.run("/bin/bash", ["-c", script, "ed448", dir, agent.pki, AgentHarness.amphoraID])
        let before = try String(contentsOfFile: agent.pki + "/server.pem", encoding: .utf8)
        let pem = try String(contentsOfFile: dir + "/ed.crt", encoding: .utf8) + String(contentsOfFile: dir + "/ed.key", encoding: .utf8)
        for path in ["/1.0/certificate", "/v0.1/certificate"] {
            let r = try agent.request("PUT", path, body: Data(pem.utf8))
            #expect(r.status == 400, "\(path): \(r.status) \(r.text)")
            #expect(r.headers["content-type"] == "application/json")
        }
        #expect(try String(contentsOfFile: agent.pki + "/server.pem", encoding: .utf8) == before, "nothing was stored")
        #expect(try agent.request("GET", "/").status == 200, "the old identity is served")
        // The stored identity is still one the front can load.
        try agent.restart()
        #expect(try agent.request("GET", "/").status == 200)
    }

    @Test("a symlink planted in the certificate directory is not followed")
    func plantedSymlink() throws {
        let agent = try AgentHarness.started()
        defer { agent.stop() }
        let m = try Material.make(in: agent)
        let lb = UUID().uuidString.lowercased()
        let victim = agent.directory + "/victim.txt"
        try "precious".write(toFile: victim, atomically: true, encoding: .utf8)
        // A planted link as the file, and a planted link as the load balancer's directory.
        try FileManager.default.createDirectory(atPath: agent.certificateDirectory + "/" + lb, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: agent.certificateDirectory + "/\(lb)/x.pem", withDestinationPath: victim)
        let bundle = try m.text("rsa.crt") + m.text("rsa.key")
        let put = try agent.request("PUT", "/1.0/loadbalancer/\(lb)/certificates/x.pem", body: Data(bundle.utf8))
        #expect(put.status == 200)
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
        let attributes = try FileManager.default.attributesOfItem(atPath: agent.certificateDirectory + "/\(lb)/x.pem")
        #expect(attributes[.type] as? FileAttributeType == .typeRegular, "the link was replaced, not followed")

        let other = UUID().uuidString.lowercased()
        let outside = agent.directory + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: agent.certificateDirectory + "/" + other, withDestinationPath: outside)
        let viaLink = try agent.request("PUT", "/1.0/loadbalancer/\(other)/certificates/y.pem", body: Data(bundle.utf8))
        #expect(viaLink.status == 500)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty)
        // Deleting through a linked file removes the link only.
        try FileManager.default.removeItem(atPath: agent.certificateDirectory + "/\(lb)/x.pem")
        try FileManager.default.createSymbolicLink(atPath: agent.certificateDirectory + "/\(lb)/x.pem", withDestinationPath: victim)
        #expect(try agent.request("DELETE", "/1.0/loadbalancer/\(lb)/certificates/x.pem").status == 200)
        #expect(FileManager.default.fileExists(atPath: victim))
    }

    @Test("a certificate directory that is not tmpfs answers 503 and nothing is written")
    func notTmpfs() throws {
        let agent = try AgentHarness.started(certificatesOnTmpfs: false)
        defer { agent.stop() }
        let (lb, r) = try Self.uploadRSABundle(to: agent)
        #expect(r.status == 503)
        #expect(r.headers["content-type"] == "application/json")
        #expect(!FileManager.default.fileExists(atPath: agent.certificateDirectory + "/" + lb))
    }

    @Test("ext2 on a loop device (even over a tmpfs file) is refused with 503 naming the device; nothing is written")
    func loopDeviceRefused() throws {
        let agent = try AgentHarness(certificatesOnTmpfs: false)
        let backing = agent.directory + "/backing"
        try FileManager.default.createDirectory(atPath: backing, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: agent.certificateDirectory, withIntermediateDirectories: true)
        try Shell.run("/usr/bin/mount", ["-t", "tmpfs", "-o", "size=16m", "tmpfs", backing])
        defer { _ = try? Shell.run("/usr/bin/umount", [backing], check: false) }
        try Shell.run("/usr/bin/truncate", ["-s", "8M", backing + "/certs.img"])
        let loop = try Shell.run("/usr/sbin/losetup", ["--find", "--show", backing + "/certs.img"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        defer { _ = try? Shell.run("/usr/sbin/losetup", ["-d", loop], check: false) }
        try Shell.run("/usr/sbin/mkfs.ext2", ["-q", "-F", loop])
        try Shell.run("/usr/bin/mount", [loop, agent.certificateDirectory])
        defer { _ = try? Shell.run("/usr/bin/umount", [agent.certificateDirectory], check: false) }
        chmod(agent.certificateDirectory, 0o700)
        try agent.start()
        defer { agent.stop() }
        let (lb, r) = try Self.uploadRSABundle(to: agent)
        #expect(r.status == 503)
        let name = URL(fileURLWithPath: loop).lastPathComponent
        #expect((r.object["details"] as? String)?.contains("\(name) is not a RAM disk") == true, "\(r.text)")
        #expect(!FileManager.default.fileExists(atPath: agent.certificateDirectory + "/" + lb))
    }

    @Test("rotation: new connections see the new certificate, an open connection goes on; bad uploads keep the old one")
    func rotation() throws {
        let agent = try AgentHarness.started()
        defer { agent.stop() }
        let m = try Material.make(in: agent)
        func serial(_ pem: String) throws -> String {
            let r = try Shell.run("/usr/bin/openssl", ["x509", "-noout", "-serial"], input: Data(pem.utf8))
            return r.stdout.replacingOccurrences(of: "serial=", with: "").trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        }
        let oldSerial = try serial(try String(contentsOfFile: agent.pki + "/server.pem", encoding: .utf8))
        let newSerial = try serial(try m.text("rot.crt"))

        // A kept-alive connection, opened before the rotation, used again after it.
        let flag = agent.directory + "/rotated"
        let script = """
            import os, socket, ssl, sys, time
            port, amp, pki, flag = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
            ctx = ssl.create_default_context(cafile=pki + "/ca.pem")
            ctx.load_cert_chain(pki + "/client.crt", pki + "/client.key")
            def get(s):
                s.sendall(b"GET / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n")
                data = b""
                while b"\\r\\n\\r\\n" not in data: data += s.recv(4096)
                head, body = data.split(b"\\r\\n\\r\\n", 1)
                n = int([l.split(b":")[1] for l in head.split(b"\\r\\n") if l.lower().startswith(b"content-length")][0])
                while len(body) < n: body += s.recv(4096)
                return head.split(b" ")[1].decode()
            def peer_serial(s):
                der = s.getpeercert(binary_form=True)
                import subprocess
                out = subprocess.run(["openssl", "x509", "-inform", "DER", "-noout", "-serial"], input=der, capture_output=True).stdout
                return out.decode().strip().split("=")[1].lower()
            a = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname=amp)
            print("A", get(a), peer_serial(a), flush=True)
            while not os.path.exists(flag): time.sleep(0.05)
            print("A-again", get(a), peer_serial(a), flush=True)
            b = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname=amp)
            print("B", get(b), peer_serial(b), flush=True)
            """
        let client = Process()
        client.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        client.arguments = ["-c", script, String(agent.port), AgentHarness.amphoraID, agent.pki, flag]
        let out = Pipe()
        client.standardOutput = out
        try client.run()
        defer { if client.isRunning { kill(client.processIdentifier, SIGKILL) } }

        // Invalid uploads first: each 400, nothing changes.
        for (body, message) in [
            (try m.text("rot.crt") + m.text("rsa.key"), "Certificate and key do not match"),
            (try m.text("expired.crt") + m.text("rot.key"), "Certificate has expired"),
            (try m.text("rot.crt"), "No RSA key found"),
            // Held to an upload's rules: nothing but PEM blocks (BoringSSL, in the front, skips such text).
            ("-- a note --\n" + (try m.text("rot.key") + m.text("rot.crt")), "Text outside PEM blocks (line 1)"),
        ] {
            let r = try agent.request("PUT", "/1.0/certificate", body: Data(body.utf8))
            #expect(r.status == 400, "\(r.text)")
            #expect(r.object["message"] as? String == message, "\(r.text)")
        }
        #expect(try serial(try String(contentsOfFile: agent.pki + "/server.pem", encoding: .utf8)) == oldSerial)

        let rotate = try agent.request("PUT", "/1.0/certificate", body: Data((try m.text("rot.key") + m.text("rot.crt")).utf8))
        #expect(rotate.status == 202, "\(rotate.text)")
        #expect(try serial(try String(contentsOfFile: agent.pki + "/server.pem", encoding: .utf8)) == newSerial)
        #expect(try FileManager.default.attributesOfItem(atPath: agent.pki + "/server.pem")[.posixPermissions] as? Int == 0o600)
        _ = FileManager.default.createFile(atPath: flag, contents: Data())
        client.waitUntilExit()
        let lines = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(lines.count == 3, "\(lines)")
        guard lines.count == 3 else { return }
        #expect(lines[0] == ["A", "200", oldSerial])
        #expect(lines[1] == ["A-again", "200", oldSerial], "the open connection goes on with its session")
        #expect(lines[2] == ["B", "200", newSerial], "a new connection gets the new certificate")
        // curl (a new connection each time) agrees, and the seed route rotates too.
        #expect(try agent.request("GET", "/").status == 200)
        let seed = try agent.request("PUT", "/v0.1/certificate", body: Data((try m.text("rot.crt") + m.text("rot.key")).utf8))
        #expect(seed.status == 202)
    }
}
