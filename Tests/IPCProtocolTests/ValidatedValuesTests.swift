import Foundation
import IPCProtocol
import Testing

// Hostile inputs shared by several string grammars (security anchors §7, A1-A3, A9, A11, A16).
private let controlAndInjection: [String] = [
    "", " ", "\n", "\r", "\t", "\0",
    "a\nb", "a\rb", "a\tb", "a\0b", "a b",
    "\na", "a\n", "\ra", "a\r", "\ta", "a\t", "\0a", "a\0",
    "-n", "--help", "-",
    "a;b", "a|b", "a&b", "$(id)", "`id`",
    "..", ".", "../x", "a/b", "a\\b", "%2e%2e", "%252e%252e", "%0a",
    "\u{FF0E}\u{FF0E}",  // full-width dots
    "\u{0430}",  // Cyrillic a
    "\u{212A}",  // Kelvin sign (canonically equivalent to "K")
]

// MARK: - ValidationError and InputText

@Suite struct ValidationErrorTests {
    @Test func descriptionJoinsFieldAndReason() {
        let error = ValidationError(field: "subnet_cidr", reason: "has host bits set")
        #expect(error.description == "subnet_cidr: has host bits set")
        #expect(error == ValidationError(field: "subnet_cidr", reason: "has host bits set"))
    }

    @Test(arguments: [
        ("plain", "plain"),
        ("a\nb", "a?b"),
        ("a\r\nb", "a??b"),
        ("\0\t\u{7F}", "???"),
        ("\u{85}x", "?x"),
        ("x\u{202E}y", "x?y"),
        ("x\u{2028}y\u{2029}", "x?y?"),
        ("ünïcödé", "ünïcödé"),
    ])
    func sanitizesControlCharacters(raw: String, expected: String) {
        #expect(InputText.sanitizedForMessage(raw) == expected)
    }

    @Test func cutsToLimit() {
        let long = String(repeating: "a", count: 1000)
        #expect(InputText.sanitizedForMessage(long) == String(repeating: "a", count: 64))
        #expect(InputText.sanitizedForMessage(long, limit: 5) == "aaaaa")
        #expect(InputText.sanitizedForMessage(long, limit: 0) == "")
        #expect(InputText.sanitizedForMessage(long, limit: -3) == "")
        #expect(InputText.sanitizedForMessage("short", limit: 64) == "short")
    }

    @Test func boundsCombiningMarkFloods() {
        // One grapheme cluster of 10 001 scalars must still be cut.
        let zalgo = "a" + String(repeating: "\u{0301}", count: 10_000)
        #expect(InputText.sanitizedForMessage(zalgo).unicodeScalars.count == 64)
    }
}

// MARK: - ResourceID

@Suite struct ResourceIDTests {
    @Test(arguments: [
        "8d5b6f3c-1a2b-4c3d-9e8f-0123456789ab",
        "00000000-0000-0000-0000-000000000000",
        "ffffffff-ffff-ffff-ffff-ffffffffffff",
    ])
    func acceptsCanonicalUUIDs(raw: String) throws {
        let id = try ResourceID(validating: raw)
        #expect(id.value == raw)
        #expect(id.description == raw)
        #expect(ResourceID(raw) == id)
    }

    @Test(arguments: controlAndInjection + [
        "8D5B6F3C-1A2B-4C3D-9E8F-0123456789AB",  // uppercase is rejected, not normalised
        "8d5b6f3c-1a2b-4c3d-9e8f-0123456789aB",
        "8d5b6f3c-1a2b-4c3d-9e8f-0123456789abc",  // 37 chars
        "8d5b6f3c-1a2b-4c3d-9e8f-0123456789a",  // 35 chars
        "{8d5b6f3c-1a2b-4c3d-9e8f-0123456789ab}",
        "8d5b6f3c1a2b4c3d9e8f0123456789ab",
        "-8d5b6f3c-1a2b-4c3d-9e8f-0123456789a",
        "8d5b6f3c-1a2b-4c3d-9e8f-0123456789ag",
        "8d5b6f3c-1a2b-4c3d-9e8f+0123456789ab",
        "8d5b6f3c-1a2b-4c3d-9e8f-0123456789a\n",
        "\n8d5b6f3c-1a2b-4c3d-9e8f-0123456789a",
        "8d5b6f3c-1a2b-4c3d-9e8f-01234567 9ab",
        "8d5b6f3c-1a2b-4c3d-9e8f-0123456789\u{FF41}",  // full-width a: non-ASCII
        "8d5b6f3c-1a2b-4c3d-9e8f-\u{FF10}123456789ab",  // full-width 0
        "8d5b6f3c-1a2b-4c3d-9e8f-0123456789\u{0430}b",  // Cyrillic a
        "8d5b6f3c-1a2b-4c3d-9e8f-%30123456789a",
        "../../../../etc/passwd/../../../../../",
    ])
    func rejectsHostileIDs(raw: String) {
        #expect(throws: ValidationError.self) { try ResourceID(validating: raw) }
        #expect(ResourceID(raw) == nil)
    }

    @Test func errorNamesTheField() {
        #expect(throws: ValidationError(field: "lb_id", reason: "must not be empty")) {
            try ResourceID(validating: "", field: "lb_id")
        }
        do {
            _ = try ResourceID(validating: "8D5B6F3C-1A2B-4C3D-9E8F-0123456789AB", field: "listener_id")
            Issue.record("uppercase UUID was accepted")
        } catch {
            #expect(error.field == "listener_id")
            #expect(error.reason.contains("lowercase"))
        }
    }
}

// MARK: - CertificateFileName

@Suite struct CertificateFileNameTests {
    @Test(arguments: [
        "a.pem",
        "server.pem",
        "pem.pem",
        "WILDCARD.example.com.pem",
        "8d5b6f3c-1a2b-4c3d-9e8f-0123456789ab.pem",
        "my_cert-2.chain.pem",
        String(repeating: "a", count: 64) + ".pem",
        String(repeating: "a", count: 64) + "." + String(repeating: "b", count: 63) + ".pem",
        // 255 bytes exactly: 64 + 2 * (1 + 63) + (1 + 58) + 4.
        String(repeating: "a", count: 64) + "." + String(repeating: "b", count: 63) + "."
            + String(repeating: "c", count: 63) + "." + String(repeating: "d", count: 58) + ".pem",
        String(repeating: "a.", count: 125) + "pem",  // 253 bytes, many parts
    ])
    func acceptsGrammar(raw: String) throws {
        let name = try CertificateFileName(validating: raw)
        #expect(name.value == raw)
        #expect(name.description == raw)
        #expect(raw.utf8.count <= 255)
    }

    @Test(arguments: controlAndInjection + [
        "../x.pem",
        "..%2F..%2Fetc%2Fshadow.pem",
        "a.pem%2F..%2Fx",
        "%2e%2e.pem",
        "%252e%252e.pem",
        "x.pem%00.txt",
        "x.pem\0",
        "x\0.pem",
        "x.pem\n",
        "\nx.pem",
        "x\n.pem",
        "x\r.pem",
        "x\t.pem",
        "a\\b.pem",
        "..\\x.pem",
        "a/b.pem",
        "/etc/shadow.pem",
        ".pem",
        ".x.pem",
        ".hidden",
        "x..pem",
        "a..b.pem",
        "x.pem.",
        "x.PEM",
        "x.pem ",
        " x.pem",
        "x y.pem",
        "-n.pem",
        "--help.pem",
        "_x.pem",
        "x",
        "pem",
        "x.crt",
        "x.pem.txt",
        "\u{FF0E}\u{FF0E}.pem",  // full-width dots
        "x\u{FF0E}pem",
        "\u{0430}.pem",  // Cyrillic a
        "caf\u{00E9}.pem",
        "\u{212A}.pem",  // Kelvin sign
        String(repeating: "a", count: 65) + ".pem",  // first part too long
        "a." + String(repeating: "b", count: 64) + ".pem",  // later part too long
        String(repeating: "a.", count: 127) + "pem",  // 257 bytes
        String(repeating: "a", count: 4096) + ".pem",
    ])
    func rejectsHostileNames(raw: String) {
        #expect(throws: ValidationError.self) { try CertificateFileName(validating: raw) }
        #expect(CertificateFileName(raw) == nil)
    }

    @Test func rejectsJustOverTheLengthLimit() {
        let raw = String(repeating: "a", count: 64) + "." + String(repeating: "b", count: 63) + "."
            + String(repeating: "c", count: 63) + "." + String(repeating: "d", count: 59) + ".pem"
        #expect(raw.utf8.count == 256)
        #expect(throws: ValidationError.self) { try CertificateFileName(validating: raw) }
    }

    @Test(arguments: [
        ("*.example.com", "WILDCARD.example.com.pem"),
        ("www.example.com", "www.example.com.pem"),
        ("amphora-1", "amphora-1.pem"),
        ("*", "WILDCARD.pem"),
        ("8d5b6f3c-1a2b-4c3d-9e8f-0123456789ab", "8d5b6f3c-1a2b-4c3d-9e8f-0123456789ab.pem"),
    ])
    func namesFilesAfterCommonName(cn: String, expected: String) throws {
        #expect(try CertificateFileName.forCommonName(cn).value == expected)
    }

    @Test(arguments: [
        "", "**.example.com", "a.*.example.com", "../etc/shadow", "a/b", "x\ny",
        "example.com\0", ".example.com", "caf\u{00E9}.example", "a b", String(repeating: "a", count: 300),
    ])
    func rejectsBadCommonNames(cn: String) {
        #expect(throws: ValidationError.self) { try CertificateFileName.forCommonName(cn) }
    }

    @Test func defaultFieldName() {
        do {
            _ = try CertificateFileName(validating: "../x.pem")
            Issue.record("traversal was accepted")
        } catch {
            #expect(error.field == "filename")
        }
    }
}

// MARK: - IPAddress

@Suite struct IPAddressTests {
    /// IPv4 is kept as written; IPv6 is canonicalised (RFC 5952).
    @Test(arguments: [
        ("0.0.0.0", "0.0.0.0"),
        ("1.2.3.4", "1.2.3.4"),
        ("10.0.0.1", "10.0.0.1"),
        ("203.0.113.5", "203.0.113.5"),
        ("255.255.255.255", "255.255.255.255"),
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"),
        ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),
        ("0:0:0:0:0:0:0:0", "::"),
        ("::", "::"),
        ("::1", "::1"),
        ("1::", "1::"),
        ("2001:0db8:0000:0000:0000:ff00:0042:8329", "2001:db8::ff00:42:8329"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),  // tie: first run wins
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),  // single zero group not compressed
        ("2001:db8::1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),  // '::' for one group is parsed, not emitted
        ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
        ("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"),
        ("FE80::ABCD:EF01", "fe80::abcd:ef01"),
        ("fe80:0000:0000:0000:0000:0000:0000:0001", "fe80::1"),
        ("64:ff9b::1.2.3.4", "64:ff9b::102:304"),
        ("::1.2.3.4", "::102:304"),
        ("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"),
        ("1::5:6:255.255.255.255", "1::5:6:ffff:ffff"),
        ("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
        ("0:0:0:0:1:0:0:0", "::1:0:0:0"),
        ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
    ])
    func acceptsAndCanonicalises(raw: String, canonical: String) throws {
        let ip = try IPAddress(validating: raw)
        let isIPv4 = !canonical.contains(":")
        #expect(ip.family == (isIPv4 ? .v4 : .v6))
        #expect(ip.bytes.count == (isIPv4 ? 4 : 16))
        #expect(ip.description == canonical)
        // The canonical form is a fixed point.
        #expect(try IPAddress(validating: canonical) == ip)
        #expect(IPAddress(canonical)?.description == canonical)
    }

    @Test(arguments: controlAndInjection + [
        // IPv4 (A7)
        "999.1.1.1", "256.0.0.1", "1.2.3", "1.2.3.4.5", "1.2.3.", ".1.2.3", "1..2.3",
        "010.1.1.1", "1.2.3.04", "00.1.1.1", "0x7f.0.0.1", "1.2.3.4 ", " 1.2.3.4", "1.2.3.4\n",
        "1.2.3.4\0", "1.2.3.4/32", "+1.2.3.4", "1.2.3.-4", "1.2.3.1000", "01234.1.1.1",
        "\u{FF11}.2.3.4",  // full-width 1
        "1\u{FF0E}2.3.4",  // full-width dot
        "\u{0661}.2.3.4",  // Arabic-Indic 1
        "2130706433", "localhost",
        // IPv6 (A7)
        "::ffff:1.2.3.4", "::FFFF:1.2.3.4", "0:0:0:0:0:ffff:1.2.3.4", "::ffff:0102:0304", "::ffff:102:304",
        "fe80::1%eth0", "fe80::1%25eth0", "fe80::1%",
        ":::", "::::", "1:::2", "1::2::3", "::1::", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:", ":", "1:",
        "12345::1", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8",
        "g::1", "1:2:3:4:5:6:7:8 ", "[::1]", "::1/128", "1.2.3.4::", "1.2.3.4::5", "::1.2.3.4:5",
        "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3", "::1.2.3.04", "::256.1.1.1", "2001:db8::-1",
        "2001:db8::\u{FF11}", "2001:db8:\u{FF1A}1",
        "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.2550",
        String(repeating: "0", count: 100) + "::1",
    ])
    func rejectsHostileAddresses(raw: String) {
        #expect(throws: ValidationError.self) { try IPAddress(validating: raw) }
        #expect(IPAddress(raw) == nil)
    }

    @Test func zoneIdReasonIsSpecific() {
        do {
            _ = try IPAddress(validating: "fe80::1%eth0", field: "vip")
            Issue.record("zone id was accepted")
        } catch {
            #expect(error.field == "vip")
            #expect(error.reason.contains("zone"))
        }
    }

    @Test func initFromBytes() throws {
        let v4 = try IPAddress(bytes: [192, 0, 2, 1])
        #expect(v4.description == "192.0.2.1")
        #expect(v4.family == .v4)
        let v6 = try IPAddress(bytes: [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1])
        #expect(v6.description == "2001:db8::1")
        #expect(v6 == IPAddress("2001:DB8::0:1"))
        #expect(throws: ValidationError.self) { try IPAddress(bytes: []) }
        #expect(throws: ValidationError.self) { try IPAddress(bytes: [1, 2, 3]) }
        #expect(throws: ValidationError.self) { try IPAddress(bytes: Array(repeating: 0, count: 17)) }
        let mapped: [UInt8] = Array(repeating: 0, count: 10) + [0xff, 0xff, 1, 2, 3, 4]
        #expect(throws: ValidationError.self) { try IPAddress(bytes: mapped) }
    }

    @Test(arguments: [
        ("203.0.113.7", true), ("2001:db8::7", true), ("fe80::1", true), ("169.254.0.1", true),
        ("0.0.0.0", false), ("::", false), ("127.0.0.1", false), ("127.255.0.9", false), ("::1", false),
        ("224.0.0.18", false), ("239.255.255.250", false), ("ff02::12", false), ("255.255.255.255", false),
    ])
    func unicast(raw: String, expected: Bool) throws {
        #expect(try IPAddress(validating: raw).isUnicast == expected)
    }

    @Test func familyIsCodableAsRawValue() throws {
        let data = try JSONEncoder().encode([IPFamily.v4, IPFamily.v6])
        #expect(String(decoding: data, as: UTF8.self) == #"["v4","v6"]"#)
    }
}

// MARK: - CIDR

@Suite struct CIDRTests {
    @Test(arguments: [
        ("203.0.113.0/24", "203.0.113.0/24", "255.255.255.0"),
        ("10.0.0.0/8", "10.0.0.0/8", "255.0.0.0"),
        ("0.0.0.0/0", "0.0.0.0/0", "0.0.0.0"),
        ("192.0.2.7/32", "192.0.2.7/32", "255.255.255.255"),
        ("192.0.2.128/25", "192.0.2.128/25", "255.255.255.128"),
        ("172.16.0.0/12", "172.16.0.0/12", "255.240.0.0"),
        ("2001:DB8::/32", "2001:db8::/32", "ffff:ffff::"),
        ("2001:db8:0:0:0:0:0:0/64", "2001:db8::/64", "ffff:ffff:ffff:ffff::"),
        ("::/0", "::/0", "::"),
        ("::1/128", "::1/128", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
        ("fe80::/10", "fe80::/10", "ffc0::"),
    ])
    func acceptsNetworks(raw: String, canonical: String, netmask: String) throws {
        let cidr = try CIDR(validating: raw)
        #expect(cidr.description == canonical)
        #expect(cidr.netmask.description == netmask)
        #expect(CIDR(canonical) == cidr)
    }

    @Test(arguments: controlAndInjection + [
        "1.2.3.0/33", "::/129", "2001:db8::/129", "1.2.3.4/024", "1.2.3.0/024", "10.0.0.0/08", "1.2.3.4/",
        "/24", "1.2.3.4", "1.2.3.0/24/24", "1.2.3.0/-1", "1.2.3.0/+24", "1.2.3.0/ 24", "1.2.3.0 /24",
        "1.2.3.0/24\n", "1.2.3.0/24\0", "1.2.3.0/2\u{FF14}", "1.2.3.0/1000", "1.2.3.0/99999999999999999999",
        "203.0.113.5/24", "10.0.0.1/8", "2001:db8::1/64", "::1/127", "0.0.0.1/0",
        "999.1.1.0/24", "010.1.1.0/24", "::ffff:1.2.3.0/120", "fe80::%eth0/64", "fe80::/64%eth0",
        "1.2.3.0\\24", "1.2.3.0%2F24",
    ])
    func rejectsHostileCIDRs(raw: String) {
        #expect(throws: ValidationError.self) { try CIDR(validating: raw) }
        #expect(CIDR(raw) == nil)
    }

    @Test func hostBitsReasonNamesTheNetwork() {
        do {
            _ = try CIDR(validating: "203.0.113.5/24")
            Issue.record("host bits were accepted")
        } catch {
            #expect(error.field == "subnet_cidr")
            #expect(error.reason.contains("203.0.113.0/24"))
        }
    }

    @Test(arguments: [
        ("203.0.113.0/24", "203.0.113.1", true),
        ("203.0.113.0/24", "203.0.113.255", true),
        ("203.0.113.0/24", "203.0.114.1", false),
        ("0.0.0.0/0", "198.51.100.7", true),
        ("192.0.2.7/32", "192.0.2.7", true),
        ("192.0.2.7/32", "192.0.2.8", false),
        ("2001:db8::/32", "2001:db8:ffff::1", true),
        ("2001:db8::/32", "2001:db9::1", false),
        ("::/0", "::1", true),
        ("0.0.0.0/0", "::1", false),  // family mismatch
        ("::/0", "1.2.3.4", false),  // family mismatch
        ("2001:db8::/32", "32.1.13.184", false),
    ])
    func containment(cidr: String, ip: String, expected: Bool) throws {
        let network = try CIDR(validating: cidr)
        let address = try IPAddress(validating: ip)
        #expect(network.contains(address) == expected)
    }

    @Test(arguments: [
        ("203.0.113.0/24", "203.0.113.0", true),
        ("203.0.113.0/24", "203.0.113.255", true),
        ("203.0.113.0/24", "203.0.113.1", false),
        ("203.0.113.0/24", "203.0.113.254", false),
        ("203.0.113.0/24", "198.51.100.0", false),  // outside
        ("203.0.113.4/30", "203.0.113.7", true),
        ("203.0.113.4/31", "203.0.113.4", false),  // RFC 3021: both are hosts
        ("203.0.113.5/32", "203.0.113.5", false),
        ("2001:db8::/64", "2001:db8::", false),  // subnet-router anycast: Neutron's gateway at times
        ("2001:db8::/64", "2001:db8::ffff:ffff:ffff:ffff", false),  // IPv6 has no broadcast
        ("2001:db8::/127", "2001:db8::", false),
    ])
    func reservedHosts(cidr: String, ip: String, expected: Bool) throws {
        #expect(try CIDR(validating: cidr).isReservedHost(IPAddress(validating: ip)) == expected)
    }

    @Test func memberwiseValidation() throws {
        let network = try IPAddress(validating: "10.1.0.0")
        let cidr = try CIDR(network: network, prefixLength: 16)
        #expect(cidr.network == network)
        #expect(cidr.prefixLength == 16)
        #expect(throws: ValidationError.self) { try CIDR(network: network, prefixLength: 8) }
        #expect(throws: ValidationError.self) { try CIDR(network: network, prefixLength: -1) }
        #expect(throws: ValidationError.self) { try CIDR(network: network, prefixLength: 33) }
    }
}

// MARK: - MACAddress

@Suite struct MACAddressTests {
    @Test(arguments: [
        ("AA:BB:CC:00:11:22", "aa:bb:cc:00:11:22"),
        ("fa:16:3e:00:11:22", "fa:16:3e:00:11:22"),
        ("Fa:16:3E:0a:Bb:fF", "fa:16:3e:0a:bb:ff"),
        ("02:00:00:00:00:00", "02:00:00:00:00:00"),
        ("00:00:00:00:00:01", "00:00:00:00:00:01"),
        ("fe:ff:ff:ff:ff:ff", "fe:ff:ff:ff:ff:ff"),
    ])
    func normalisesToLowercase(raw: String, canonical: String) throws {
        let mac = try MACAddress(validating: raw)
        #expect(mac.value == canonical)
        #expect(mac.description == canonical)
        #expect(MACAddress(canonical) == mac)
    }

    @Test(arguments: controlAndInjection + [
        "aa-bb-cc-00-11-22", "aabb.cc00.1122", "aa.bb.cc.00.11.22", "0xaabbcc001122", "aabbcc001122",
        "0xaa:bb:cc:00:11:22", "aa:bb:cc:00:11", "aa:bb:cc:00:11:22:33", "a:b:c:0:1:2", "aa:bb:cc:0:11:22",
        "aa:bb:cc:00:11:222", "aaa:bb:cc:00:11:2", "aa:bb:cc:00:11:2g", "aa:bb:cc:00:11:22 ", " aa:bb:cc:00:11:22",
        "aa:bb:cc:00:11:22\n", "aa:bb:cc:00:11\n22", "aa:bb:cc:00 11:22", "aa:bb:cc:00:11:\u{0}2",
        "aa:bb:cc:00:11:2\u{FF12}", "aa:bb:cc:00:11:\u{0430}2",
        "ff:ff:ff:ff:ff:ff", "FF:FF:FF:FF:FF:FF",  // broadcast
        "01:00:5e:00:00:01", "33:33:00:00:00:01", "03:00:00:00:00:00",  // multicast
        "00:00:00:00:00:00",  // all zero
        "aa:bb:cc:00:11:22; reboot", "$(reboot)",
    ])
    func rejectsHostileMACs(raw: String) {
        #expect(throws: ValidationError.self) { try MACAddress(validating: raw) }
        #expect(MACAddress(raw) == nil)
    }
}

// MARK: - InterfaceName

@Suite struct InterfaceNameTests {
    @Test(arguments: ["eth0", "eth1.100", "ens3", "lo", "br-ex", "vlan_10", "a", "E", "0", "123456789012345"])
    func acceptsNames(raw: String) throws {
        let name = try InterfaceName(validating: raw)
        #expect(name.value == raw)
        #expect(name.description == raw)
    }

    @Test(arguments: controlAndInjection + [
        "1234567890123456",  // 16 bytes
        "eth0/../x", "eth0/x", "eth 0", "eth0\n", "eth0\0", "eth0 ", " eth0", "\teth0",
        ".eth0", "_eth0", "-eth0", "a..b", "eth0..", "eth0:1", "eth0;reboot", "eth0$(id)", "eth0`id`",
        "eth\u{FF10}", "\u{0435}th0",  // full-width 0, Cyrillic e
        "ethé", String(repeating: "e", count: 100),
    ])
    func rejectsHostileNames(raw: String) {
        #expect(throws: ValidationError.self) { try InterfaceName(validating: raw) }
        #expect(InterfaceName(raw) == nil)
    }

    @Test func byteLengthNotCharacterCount() {
        // 15 characters but more than 15 bytes (and non-ASCII anyway).
        #expect(throws: ValidationError.self) { try InterfaceName(validating: String(repeating: "é", count: 8)) }
    }
}

// MARK: - MTU

@Suite struct MTUTests {
    @Test(arguments: [68, 576, 1280, 1450, 1500, 9000, 9216])
    func acceptsRange(value: Int) throws {
        #expect(try MTU(validating: value).value == value)
        #expect(try MTU(validating: String(value)).value == value)
        #expect(MTU(String(value))?.description == String(value))
    }

    @Test(arguments: [0, 67, 9217, 65536, -1, Int.min, Int.max])
    func rejectsOutOfRange(value: Int) {
        #expect(throws: ValidationError.self) { try MTU(validating: value) }
    }

    @Test(arguments: controlAndInjection + [
        "0", "67", "9217", "65536", "-1", "+1500", "1500.5", "1500.0", "01500", "1e3", "0x5dc", " 1500",
        "1500 ", "1500\n", "15 00", "1500\0", "\u{FF11}500", "\u{0661}500", "99999999999999999999999999",
    ])
    func rejectsBadText(raw: String) {
        #expect(throws: ValidationError.self) { try MTU(validating: raw) }
        #expect(MTU(raw) == nil)
    }

    @Test func codesAsJSONInteger() throws {
        let data = try JSONEncoder().encode(try MTU(validating: 1500))
        #expect(String(decoding: data, as: UTF8.self) == "1500")
        #expect(try JSONDecoder().decode(MTU.self, from: Data("9000".utf8)).value == 9000)
    }

    @Test(arguments: [#""1500""#, "1500.5", "67", "9217", "-1", "null", "true", "[1500]"])
    func refusesBadJSON(json: String) {
        #expect(throws: (any Error).self) { try JSONDecoder().decode(MTU.self, from: Data(json.utf8)) }
    }
}

// MARK: - Closed vocabularies

@Suite struct VocabularyTests {
    @Test(arguments: [
        ("start", ServiceAction.start), ("stop", .stop), ("reload", .reload),
        ("RELOAD", .reload), ("Start", .start), ("sToP", .stop),
    ])
    func parsesActions(raw: String, expected: ServiceAction) throws {
        #expect(try ServiceAction(parsing: raw) == expected)
    }

    @Test(arguments: [
        ("restart", "Unknown action: restart"),
        ("reload;reboot", "Unknown action: reload;reboot"),
        ("", "Unknown action: "),
        (" reload", "Unknown action:  reload"),
        ("reload ", "Unknown action: reload "),
        ("re\u{0}load", "Unknown action: re?load"),
        ("reload\n", "Unknown action: reload?"),
        ("\treload", "Unknown action: ?reload"),
        ("-reload", "Unknown action: -reload"),
        ("st\u{0430}rt", "Unknown action: st\u{0430}rt"),  // Cyrillic a
        ("\u{FF53}tart", "Unknown action: \u{FF53}tart"),  // full-width s
        ("ſtart", "Unknown action: ſtart"),  // long s (uppercases to S in Unicode)
        (String(repeating: "x", count: 100), "Unknown action: " + String(repeating: "x", count: 64)),
    ])
    func rejectsActions(raw: String, reason: String) {
        #expect(throws: ValidationError(field: "action", reason: reason)) { try ServiceAction(parsing: raw) }
    }

    @Test(arguments: [
        ("SINGLE", Topology.single),
        ("ACTIVE_STANDBY", .activeStandby), ("ACTIVE-STANDBY", .activeStandby),
        ("ACTIVE_ACTIVE", .activeActive), ("ACTIVE-ACTIVE", .activeActive),
    ])
    func parsesTopologies(raw: String, expected: Topology) throws {
        #expect(try Topology(parsing: raw) == expected)
    }

    @Test(arguments: [
        "single", "Single", "ACTIVE STANDBY", "ACTIVESTANDBY", "ACTIVE_STANDBY\n", " SINGLE", "SINGLE\0",
        "", "ACTIVE", "STANDBY", "SINGLE;reboot", "S\u{0406}NGLE",
    ])
    func rejectsTopologies(raw: String) {
        #expect(throws: ValidationError(field: "topology", reason: "Unknown topology: \(InputText.sanitizedForMessage(raw))")) {
            try Topology(parsing: raw)
        }
    }

    @Test(arguments: [("ACTIVE", TopologyRole.active), ("STANDBY", .standby)])
    func parsesRoles(raw: String, expected: TopologyRole) throws {
        #expect(try TopologyRole(parsing: raw) == expected)
    }

    @Test(arguments: ["active", "Standby", "MASTER", "BACKUP", "", "ACTIVE\n", "ACTIVE ", "STANDBY\0", "SINGLE"])
    func rejectsRoles(raw: String) {
        #expect(throws: ValidationError(field: "role", reason: "Unknown role: \(InputText.sanitizedForMessage(raw))")) {
            try TopologyRole(parsing: raw)
        }
    }

    @Test func customFieldNames() {
        #expect(throws: ValidationError(field: "verb", reason: "Unknown action: x")) {
            try ServiceAction(parsing: "x", field: "verb")
        }
        #expect(throws: ValidationError(field: "t", reason: "Unknown topology: x")) {
            try Topology(parsing: "x", field: "t")
        }
        #expect(throws: ValidationError(field: "r", reason: "Unknown role: x")) {
            try TopologyRole(parsing: "x", field: "r")
        }
    }

    @Test func rawValuesAndDescriptions() {
        #expect(ServiceAction.allCases.map(\.rawValue) == ["start", "stop", "reload"])
        #expect(Topology.allCases.map(\.description) == ["SINGLE", "ACTIVE_STANDBY", "ACTIVE_ACTIVE"])
        #expect(TopologyRole.allCases.map(\.description) == ["ACTIVE", "STANDBY"])
    }

    @Test func wireFormIsCanonicalRawValue() throws {
        let data = try JSONEncoder().encode([Topology.activeStandby])
        #expect(String(decoding: data, as: UTF8.self) == #"["ACTIVE_STANDBY"]"#)
        #expect(try JSONDecoder().decode([ServiceAction].self, from: Data(#"["reload"]"#.utf8)) == [.reload])
        // Tolerant spellings are for init(parsing:) only, not for the wire.
        #expect(throws: (any Error).self) {
            try JSONDecoder().decode([ServiceAction].self, from: Data(#"["RELOAD"]"#.utf8))
        }
        #expect(throws: (any Error).self) {
            try JSONDecoder().decode([Topology].self, from: Data(#"["ACTIVE-STANDBY"]"#.utf8))
        }
    }
}

// MARK: - Codable

/// A message shaped like an API body, to exercise the values as fields.
private struct PlugRequest: Codable, Equatable {
    let id: ResourceID
    let certificate: CertificateFileName
    let vip: IPAddress
    let subnetCIDR: CIDR
    let mac: MACAddress
    let interface: InterfaceName
    let mtu: MTU
    let action: ServiceAction
    let topology: Topology
    let role: TopologyRole
}

@Suite struct CodableTests {
    private static func decode<T: Decodable>(_ type: T.Type, json: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }

    private static func roundTrip<T: Codable & Equatable>(_ value: T) throws -> T {
        try JSONDecoder().decode(T.self, from: JSONEncoder().encode(value))
    }

    @Test func roundTripsAStructuredMessage() throws {
        let request = PlugRequest(
            id: try ResourceID(validating: "8d5b6f3c-1a2b-4c3d-9e8f-0123456789ab"),
            certificate: try CertificateFileName(validating: "WILDCARD.example.com.pem"),
            vip: try IPAddress(validating: "2001:db8::10"),
            subnetCIDR: try CIDR(validating: "203.0.113.0/24"),
            mac: try MACAddress(validating: "fa:16:3e:00:11:22"),
            interface: try InterfaceName(validating: "eth1"),
            mtu: try MTU(validating: 1450),
            action: .reload,
            topology: .activeStandby,
            role: .standby
        )
        #expect(try Self.roundTrip(request) == request)
    }

    @Test func encodesCanonicalStrings() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let values: [String: String] = [
            "ip": try IPAddress(validating: "2001:DB8:0:0:0:0:0:1").description,
            "mac": try MACAddress(validating: "AA:BB:CC:00:11:22").description,
        ]
        #expect(String(decoding: try encoder.encode(values), as: UTF8.self) == #"{"ip":"2001:db8::1","mac":"aa:bb:cc:00:11:22"}"#)
        let ip = String(decoding: try encoder.encode(try IPAddress(validating: "2001:DB8::0:1")), as: UTF8.self)
        #expect(ip == #""2001:db8::1""#)
        let cidr = String(decoding: try encoder.encode(try CIDR(validating: "2001:DB8::/32")), as: UTF8.self)
        #expect(cidr == #""2001:db8::/32""#)
    }

    @Test func decodingCanonicalises() throws {
        #expect(try Self.decode(IPAddress.self, json: #""2001:DB8:0:0:0:0:0:1""#).description == "2001:db8::1")
        #expect(try Self.decode(MACAddress.self, json: #""AA:BB:CC:00:11:22""#).value == "aa:bb:cc:00:11:22")
        #expect(try Self.decode(CIDR.self, json: #""10.0.0.0\/8""#).description == "10.0.0.0/8")
    }

    @Test(arguments: [
        #""..""#, #""8D5B6F3C-1A2B-4C3D-9E8F-0123456789AB""#, #""8d5b6f3c-1a2b-4c3d-9e8f-0123456789ab\n""#, "36", "null",
    ])
    func rejectsInvalidResourceID(json: String) {
        #expect(throws: (any Error).self) { try Self.decode(ResourceID.self, json: json) }
    }

    @Test func invalidStringIsDataCorruptedWithReason() {
        do {
            _ = try Self.decode(CIDR.self, json: #""203.0.113.5/24""#)
            Issue.record("host bits were accepted by the decoder")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.debugDescription.contains("host bits"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func invalidFieldInAMessageFailsTheWholeMessage() {
        let json = #"{"id":"8d5b6f3c-1a2b-4c3d-9e8f-0123456789ab","certificate":"..\/..\/etc\/shadow.pem","#
            + #""vip":"192.0.2.1","subnetCIDR":"192.0.2.0/24","mac":"fa:16:3e:00:11:22","interface":"eth1","#
            + #""mtu":1500,"action":"reload","topology":"SINGLE","role":"ACTIVE"}"#
        #expect(throws: DecodingError.self) { try Self.decode(PlugRequest.self, json: json) }
    }

    private static func decodeAs(_ type: String, json: String) throws {
        let data = Data(json.utf8)
        let decoder = JSONDecoder()
        switch type {
        case "ResourceID": _ = try decoder.decode(ResourceID.self, from: data)
        case "CertificateFileName": _ = try decoder.decode(CertificateFileName.self, from: data)
        case "IPAddress": _ = try decoder.decode(IPAddress.self, from: data)
        case "CIDR": _ = try decoder.decode(CIDR.self, from: data)
        case "MACAddress": _ = try decoder.decode(MACAddress.self, from: data)
        case "InterfaceName": _ = try decoder.decode(InterfaceName.self, from: data)
        case "MTU": _ = try decoder.decode(MTU.self, from: data)
        case "ServiceAction": _ = try decoder.decode(ServiceAction.self, from: data)
        case "Topology": _ = try decoder.decode(Topology.self, from: data)
        case "TopologyRole": _ = try decoder.decode(TopologyRole.self, from: data)
        default: Issue.record("unknown type \(type)")
        }
    }

    @Test(arguments: [
        ("ResourceID", #""x y""#),
        ("CertificateFileName", #""x.pem\u0000.txt""#),
        ("CertificateFileName", #"".pem""#),
        ("IPAddress", #""::ffff:1.2.3.4""#),
        ("IPAddress", #""fe80::1%eth0""#),
        ("IPAddress", #""010.1.1.1""#),
        ("IPAddress", "16909060"),
        ("CIDR", #""1.2.3.0/33""#),
        ("MACAddress", #""ff:ff:ff:ff:ff:ff""#),
        ("InterfaceName", #""-n""#),
        ("MTU", #""1500""#),
        ("ServiceAction", #""restart""#),
        ("Topology", #""single""#),
        ("TopologyRole", #""MASTER""#),
    ])
    func rejectsInvalidJSONValues(type: String, json: String) {
        #expect(throws: (any Error).self) { try Self.decodeAs(type, json: json) }
    }

    @Test(arguments: [
        ("ResourceID", #""8d5b6f3c-1a2b-4c3d-9e8f-0123456789ab""#),
        ("CertificateFileName", #""x.pem""#),
        ("IPAddress", #""192.0.2.1""#),
        ("CIDR", #""192.0.2.0/24""#),
        ("MACAddress", #""fa:16:3e:00:11:22""#),
        ("InterfaceName", #""eth0""#),
        ("MTU", "1500"),
        ("ServiceAction", #""stop""#),
        ("Topology", #""ACTIVE_ACTIVE""#),
        ("TopologyRole", #""STANDBY""#),
    ])
    func acceptsValidJSONValues(type: String, json: String) throws {
        try Self.decodeAs(type, json: json)
    }
}

// MARK: - LosslessStringConvertible

@Suite struct LosslessStringTests {
    private static func check<T: LosslessStringConvertible & Equatable>(_ type: T.Type, _ text: String) throws {
        let value = try #require(T(text))
        #expect(T(value.description) == value)
        #expect(value.description == text)
    }

    @Test func canonicalTextRoundTrips() throws {
        try Self.check(ResourceID.self, "8d5b6f3c-1a2b-4c3d-9e8f-0123456789ab")
        try Self.check(CertificateFileName.self, "server.pem")
        try Self.check(IPAddress.self, "2001:db8::1")
        try Self.check(IPAddress.self, "192.0.2.1")
        try Self.check(CIDR.self, "2001:db8::/48")
        try Self.check(MACAddress.self, "fa:16:3e:00:11:22")
        try Self.check(InterfaceName.self, "eth0")
        try Self.check(MTU.self, "1500")
    }

    @Test func valuesAreHashable() throws {
        let set: Set<IPAddress> = [
            try IPAddress(validating: "2001:DB8::1"),
            try IPAddress(validating: "2001:db8:0:0:0:0:0:1"),
            try IPAddress(validating: "2001:0db8::0001"),
        ]
        #expect(set.count == 1)
        let macs: Set<MACAddress> = [try MACAddress(validating: "AA:BB:CC:00:11:22"), try MACAddress(validating: "aa:bb:cc:00:11:22")]
        #expect(macs.count == 1)
    }
}
