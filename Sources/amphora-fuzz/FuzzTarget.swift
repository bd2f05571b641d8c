import AgentConfig
import Helper
import IPCProtocol
import LinuxNetlink
import ProgramLauncher

/// One parser that reads untrusted bytes, with the properties every input must keep.
///
/// A property that fails stops the process (`fatalError`), which libFuzzer reports as a finding
/// with the input that caused it; a parser that refuses an input is not a finding.
enum FuzzTarget: String, CaseIterable, Sendable {
    /// `JSONValue`: what it parses serialises and parses back to the same value.
    case json
    /// The front's request (`RequestEnvelope`, every `Command`): a decoded request re-encodes and
    /// decodes to an equal one.
    case command
    /// Frame reassembly: any byte stream yields whole frames within the size limit, or an error.
    case frame
    /// The agent configuration: nothing the INI parser accepts makes `AgentConfiguration` crash.
    case ini
    /// haproxy configurations: a text the policy accepts tokenizes the same way twice, and the text
    /// handed to haproxy is accepted again unchanged.
    case haproxy
    /// keepalived VRRP configurations against the VRRP policy.
    case keepalived
    /// keepalived LVS (UDP/SCTP listener) configurations against the LVS policy.
    case lvs
    /// PEM bundles (certificate uploads).
    case pem
    /// crt-lists (SNI certificate uploads).
    case crtlist
    /// Netlink answers: attribute walking never reads outside the message.
    case netlink
    /// haproxy's `show stat` CSV.
    case stats
    /// The front's request paths: route matching, percent-decoding, the audited method and path.
    case route
    /// The heartbeat message built from the helper's report, and its envelope.
    case heartbeat

    static let basePath = "/var/lib/octavia"
    static let certDirectory = "/var/lib/octavia/certs"
    static let instance = "8d2a2c28-5d5c-4c46-9d24-6fa3ba6f4c5f"

    /// Runs one input; true when the parser accepted it (the seeds should reach past the refusals).
    @discardableResult
    func run(_ bytes: [UInt8]) -> Bool {
        switch self {
        case .json: return Self.json(bytes)
        case .command: return Self.command(bytes)
        case .frame: return Self.frame(bytes)
        case .ini: return Self.ini(bytes)
        case .haproxy: return Self.haproxy(bytes)
        case .keepalived: return Self.keepalived(bytes)
        case .lvs: return Self.lvs(bytes)
        case .pem: return Self.pem(bytes)
        case .crtlist: return Self.crtlist(bytes)
        case .netlink: return Self.netlink(bytes)
        case .stats: return Self.stats(bytes)
        case .route: return Self.route(bytes)
        case .heartbeat: return Self.heartbeat(bytes)
        }
    }

    static func json(_ bytes: [UInt8]) -> Bool {
        guard let value = try? JSONValue(parsing: bytes) else { return false }
        let text = value.serialized()
        guard let again = try? JSONValue(parsing: text) else { fatalError("json: serialised value does not parse") }
        guard again == value else { fatalError("json: value changed through serialisation") }
        return true
    }

    static func command(_ bytes: [UInt8]) -> Bool {
        guard let request = try? StrictJSON.decode(RequestEnvelope.self, from: bytes) else { return false }
        guard let encoded = try? StrictJSON.encode(request) else { fatalError("command: a decoded request does not encode") }
        guard let again = try? StrictJSON.decode(RequestEnvelope.self, from: encoded) else {
            fatalError("command: a re-encoded request does not decode")
        }
        guard again == request else { fatalError("command: request changed through re-encoding") }
        return true
    }

    static func frame(_ bytes: [UInt8]) -> Bool {
        var decoder = FrameDecoder()
        var frames = 0
        // Feed the stream in uneven pieces, as sockets deliver it.
        var offset = 0
        var step = 1
        while offset < bytes.count {
            let end = min(bytes.count, offset + step)
            decoder.append(bytes[offset..<end])
            offset = end
            step = step % 7 + 1
            do {
                while let payload = try decoder.nextFrame() {
                    guard payload.count <= Frame.maximumPayloadSize else { fatalError("frame: payload over the limit") }
                    frames += 1
                }
            } catch {
                return false
            }
        }
        return frames > 0
    }

    static func ini(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let document = try? INIDocument(parsing: text, source: "fuzz") else { return false }
        return (try? AgentConfiguration.parse(document: document, source: "fuzz")) != nil
    }

    static let haproxyContext = HAProxyConfigPolicy.Context(
        instance: instance, basePath: basePath, baseCertDir: certDirectory,
        programs: ProgramAllowList.embedded("haproxy-programs.txt", basePath: basePath).paths)

    static func haproxy(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let accepted = try? HAProxyConfigText.checkPolicy(text, context: haproxyContext) else { return false }
        guard let first = try? HAProxyConfigTokenizer.lines(text), let second = try? HAProxyConfigTokenizer.lines(text),
            first == second
        else { fatalError("haproxy: an accepted text does not tokenize the same way twice") }
        guard let again = try? HAProxyConfigText.checkPolicy(accepted, context: haproxyContext) else {
            fatalError("haproxy: the text handed to haproxy is refused by the policy")
        }
        guard again == accepted else { fatalError("haproxy: checking the text handed to haproxy changes it") }
        return true
    }

    static let vrrpPolicy = try? VRRPConfigPolicy.embedded(basePath: basePath)
    static let lvsPolicy = try? LVSConfigPolicy.embedded(basePath: basePath, namespace: "amphora-haproxy")

    static func keepalived(_ bytes: [UInt8]) -> Bool {
        guard let policy = vrrpPolicy else { fatalError("keepalived: the compiled-in VRRP policy does not load") }
        let text = String(decoding: bytes, as: UTF8.self)
        guard (try? policy.check(text)) != nil else { return false }
        return tokenizesTwiceAlike(text, "keepalived")
    }

    static func lvs(_ bytes: [UInt8]) -> Bool {
        guard let policy = lvsPolicy else { fatalError("lvs: the compiled-in LVS policy does not load") }
        let text = String(decoding: bytes, as: UTF8.self)
        guard (try? policy.check(text)) != nil else { return false }
        return tokenizesTwiceAlike(text, "lvs")
    }

    static func tokenizesTwiceAlike(_ text: String, _ name: String) -> Bool {
        guard let first = try? KeepalivedConfigTokenizer.lines(text), let second = try? KeepalivedConfigTokenizer.lines(text),
            first == second
        else { fatalError("\(name): an accepted text does not tokenize the same way twice") }
        return true
    }

    static func pem(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        if let blocks = try? PEMBlock.strictBlocks(in: text) { _ = try? CertificateCheck.checkBlocksParse(blocks) }
        return (try? CertificateCheck.checkBundle(text, requireCurrent: false)) != nil
    }

    static func crtlist(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        return (try? CrtList(parsing: text, directory: certDirectory + "/" + instance)) != nil
    }

    static func netlink(_ bytes: [UInt8]) -> Bool {
        let messages = Netlink.messages(in: bytes[...])
        for message in messages {
            guard message.body.startIndex >= bytes.startIndex, message.body.endIndex <= bytes.endIndex else {
                fatalError("netlink: a message body outside the answer")
            }
            for offset in [0, 4, 16] {
                for (_, payload) in Netlink.attributes(message.body, from: offset) {
                    guard payload.startIndex >= message.body.startIndex, payload.endIndex <= message.body.endIndex else {
                        fatalError("netlink: an attribute outside its message")
                    }
                }
            }
        }
        return !messages.isEmpty
    }

    static func stats(_ bytes: [UInt8]) -> Bool {
        let rows = HAProxyStatsSocket.parseStat(String(decoding: bytes, as: UTF8.self))
        for row in rows where !row.fields.keys.allSatisfy(HAProxyStatsSocket.usedColumns.contains) {
            fatalError("stats: a column the agent does not read was kept")
        }
        return !rows.isEmpty
    }
}
