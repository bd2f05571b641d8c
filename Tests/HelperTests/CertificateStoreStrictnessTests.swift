import Foundation
import IPCProtocol
import Testing

@testable import Helper

/// The 1.0 certificate store takes only PEM blocks of the labels Octavia uploads, with whitespace
/// between them, and crt-lists whose paths stay inside that load balancer's certificate directory.
@Suite("Certificate store strictness")
struct CertificateStoreStrictnessTests {
    static let directory = "/var/lib/octavia/certs/0b6e1c5e-6c7d-4d0e-9c3a-1f2e3d4c5b6a"

    /// A self-signed RSA certificate, its key and an (empty) CRL, made by the openssl CLI.
    struct Material {
        let certificate: String
        let key: String
        let crl: String

        static func make() throws -> Material {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pem-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let script = """
                set -e
                cd "$1"
                o() { openssl "$@" 2>/dev/null; }
                o req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out c.pem -subj "/CN=www.example.com" -days 2
                printf '[ca]\\ndefault_ca = d\\n[d]\\ndatabase = index.txt\\ndefault_md = sha256\\ndefault_crl_days = 2\\n' > ca.cnf
                touch index.txt
                o ca -gencrl -config ca.cnf -cert c.pem -keyfile k.pem -out crl.pem
                """
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", script, "material", dir]
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            func read(_ name: String) throws -> String { try String(contentsOfFile: dir + "/" + name, encoding: .utf8) }
            return Material(certificate: try read("c.pem"), key: try read("k.pem"), crl: try read("crl.pem"))
        }
    }

    func refused(_ text: String) -> Bool {
        (try? CertificateStore.checkBundleOrCrtList(text, directory: Self.directory)) == nil
    }

    @Test("what Octavia uploads is accepted: bundles, CA files, CRLs, CRLF line ends, its crt-lists")
    func octaviaUploadsAreAccepted() throws {
        let m = try Material.make()
        for text in [
            m.certificate + m.key, m.certificate + "\n" + m.key + "\n" + m.certificate, m.certificate, m.crl,
            "\n" + m.certificate.replacingOccurrences(of: "\n", with: "\r\n") + "  \n",
            "\(Self.directory)/aaaa.pem\n\(Self.directory)/bbbb.pem\n",
            "\(Self.directory)/x.pem [ssl-min-ver TLSv1.2]\n",
            "\(Self.directory)/x.pem [alpn h2,http/1.1 ca-file \(Self.directory)/ca.pem verify required] www.example.com !*.example.org\n",
        ] {
            #expect(throws: Never.self, "\(text.prefix(80))") { try CertificateStore.checkBundleOrCrtList(text, directory: Self.directory) }
        }
    }

    @Test("a Lua chunk before, between or after the PEM blocks is refused")
    func luaPayloadBeforePEMBlockIsRefused() throws {
        let m = try Material.make()
        let lua = "core.register_init(function() os.execute('id > /tmp/pwned') end)\n"
        #expect(refused(lua + m.certificate))
        #expect(refused("-- " + lua + m.certificate))
        #expect(refused(m.certificate + lua + m.key))
        #expect(refused(m.certificate + m.key + lua))
        #expect(refused(lua), "no PEM block at all: read as a crt-list, whose first word is no path of this load balancer")
        #expect(throws: CertificateProblem.self) { try PEMBlock.strictBlocks(in: lua + m.certificate) }
        // Payloads inside a block: headers, blank lines, padding in the middle, non-base64 text.
        let lines: [String] = m.certificate.split(separator: "\n").map(String.init)
        let begin: String = lines[0]
        let end: String = lines[lines.count - 1]
        let body: [String] = Array(lines.dropFirst().dropLast())
        var variants: [[String]] = []
        variants.append([begin, "Proc-Type: 4,ENCRYPTED"] + body + [end])
        variants.append([begin, ""] + body + [end])
        variants.append([begin, "abc=", "defg"] + body + [end])
        variants.append([begin, "os.execute('id')"] + body + [end])
        variants.append(Array(lines.dropLast()))
        for tampered in variants {
            #expect(refused(tampered.joined(separator: "\n") + "\n"))
        }
    }

    @Test("PEM labels other than the ones Octavia uploads are refused")
    func unknownPEMLabelIsRefused() throws {
        let m = try Material.make()
        for label in ["LUA", "PKCS7", "ENCRYPTED PRIVATE KEY", "PUBLIC KEY", "CERTIFICATE REQUEST", "TRUSTED CERTIFICATE", "certificate"] {
            let block = "-----BEGIN \(label)-----\nY29yZS5yZWdpc3Rlcl9pbml0KCk=\n-----END \(label)-----\n"
            #expect(refused(block), "\(label)")
            #expect(refused(m.certificate + block), "\(label) after a certificate")
        }
        // A known label whose body does not parse as that label.
        #expect(refused("-----BEGIN CERTIFICATE-----\nY29yZS5yZWdpc3Rlcl9pbml0KCk=\n-----END CERTIFICATE-----\n"))
        #expect(refused("-----BEGIN X509 CRL-----\nY29yZS5yZWdpc3Rlcl9pbml0KCk=\n-----END X509 CRL-----\n"))
    }

    @Test("crt-list paths outside this load balancer's certificate directory are refused")
    func crtListPathOutsideTheLoadBalancerIsRefused() {
        let other = "/var/lib/octavia/certs/5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d"
        for line in [
            "/etc/shadow", "/root/.ssh/id_rsa", "\(other)/x.pem", "\(Self.directory)/../x.pem",
            "\(Self.directory)/sub/x.pem", "\(Self.directory)/x.lua", "x.pem", "\(Self.directory)x.pem",
            "\(Self.directory)/x.pem [ca-file /etc/ssl/private/key.pem]", "\(Self.directory)/x.pem [crl-file \(other)/crl.pem]",
            "\"\(Self.directory)/x.pem\"", "\(Self.directory)/x\\.pem", "\(Self.directory)/x.pem # comment",
            "\(Self.directory)/x.pem /etc/shadow", "\(Self.directory)/x.pem ${HOME}",
        ] {
            #expect(refused(line + "\n"), "\(line)")
        }
    }

    @Test("crt-list options outside the allow-list, or with values of the wrong shape, are refused")
    func crtListUnknownOptionIsRefused() {
        for options in [
            "[ca-ignore-err all]", "[ssl-min-ver TLSv1.2 crt-ignore-err all]", "[npn h2]", "[no-ca-names]",
            "[ssl-min-ver SSLv3]", "[verify sometimes]", "[alpn h2,,x]", "[ciphers a;b]", "[ssl-min-ver TLSv1.2",
            "[ssl-min-ver TLSv1.2 ssl-min-ver TLSv1.3]", "[]",
        ] {
            #expect(refused("\(Self.directory)/x.pem \(options)\n"), "\(options)")
        }
        #expect(refused("\(Self.directory)/x.pem [ssl-min-ver TLSv1.2] -bad-.example.com\n"))
        #expect(refused("\(Self.directory)/x.pem [ssl-min-ver TLSv1.2] a..b\n"))
    }
}
