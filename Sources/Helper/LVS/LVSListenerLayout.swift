import Glibc
import IPCProtocol

/// What a UDP listener's stored keepalived configuration says about its load balancer, read from
/// the lines and comments Octavia's LVS template writes: `# Listener <id> is disabled`, the
/// `virtual_server_group` members (`ADDRESS PORT`, or an older `virtual_server ADDRESS PORT {`),
/// `protocol UDP|SCTP`, `# Configuration for Pool <id>`, each `# Configuration for Member <id>`
/// followed by its `real_server ADDRESS PORT {` or a `# Member <id> is disabled`, and whether the
/// real servers have a health check (`MISC_CHECK`, `HTTP_GET`, `TCP_CHECK`).
struct LVSListenerLayout: Equatable, Sendable {
    /// A pool member; `endpoint` is nil for a disabled one (reported `MAINT`).
    struct Member: Equatable, Sendable {
        var id: String
        var endpoint: IPVSEndpoint?
    }

    var listenerDisabled = false
    var protocolName = "UDP"
    var virtualEndpoints: [IPVSEndpoint] = []
    var poolID: String?
    var members: [Member] = []
    var healthMonitored = false

    init(config: String) {
        var pendingMember: String?
        var inGroup = false
        for line in config.split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard let first = words.first else { continue }
            if first == "#" {
                // "# Configuration for <Type> <id>" and "# <Type> <id> is disabled"; only UUIDs count.
                if words.count == 5, words[1] == "Configuration", words[2] == "for", let id = try? ResourceID(validating: String(words[4])) {
                    if words[3] == "Pool", poolID == nil { poolID = id.description }
                    if words[3] == "Member" { pendingMember = id.description }
                } else if words.count == 5, words[3] == "is", words[4] == "disabled", let id = try? ResourceID(validating: String(words[2])) {
                    if words[1] == "Listener" { listenerDisabled = true }
                    if words[1] == "Member" { members.append(Member(id: id.description, endpoint: nil)) }
                }
                continue
            }
            if inGroup {
                if first == "}" {
                    inGroup = false
                } else if words.count == 2, let endpoint = IPVSEndpoint(address: words[0], port: words[1]) {
                    virtualEndpoints.append(endpoint)
                }
                continue
            }
            switch first {
            case "virtual_server_group":
                inGroup = words.last == "{"
            case "virtual_server":
                if words.count == 4, let endpoint = IPVSEndpoint(address: words[1], port: words[2]) { virtualEndpoints.append(endpoint) }
            case "protocol":
                if words.count == 2 { protocolName = String(words[1]).uppercased() }
            case "real_server":
                if let id = pendingMember, words.count >= 3 {
                    members.append(Member(id: id, endpoint: IPVSEndpoint(address: words[1], port: words[2])))
                    pendingMember = nil
                }
            case "MISC_CHECK", "HTTP_GET", "TCP_CHECK":
                healthMonitored = true
            default:
                break
            }
        }
    }
}
