import FrontRequestParsing
import HTTPTypes
import Hummingbird
import IPCProtocol

/// The route tables of both API versions over one set of helper commands.
///
/// v0.1 is the seed spec (`/info` unversioned, per-listener resources); 1.0 is what today's Octavia
/// controller sends (`GET /` version discovery, per-load-balancer resources). Differences in status
/// codes and bodies live here and nowhere else.
public struct AgentAPI: Sendable {
    /// The API version reported by version discovery and `/1.0/info`.
    public static let currentVersion = "1.0"
    /// The seed spec's version, reported by `/info`.
    public static let seedVersion = "0.1"

    let helper: any HelperClient
    /// The identity the TLS layer presents; replaced on rotation.
    let tlsIdentity: ServerTLSIdentity
    /// The UDP heartbeat, whose settings `PUT /1.0/config` replaces.
    let heartbeat: HeartbeatSender?

    init(helper: any HelperClient, tlsIdentity: ServerTLSIdentity, heartbeat: HeartbeatSender? = nil) {
        self.helper = helper
        self.tlsIdentity = tlsIdentity
        self.heartbeat = heartbeat
    }

    /// Every route of both versions.
    public func routes() -> RouteTable {
        var table = RouteTable()
        table.add(.get, "/") { _, _, _ in
            JSONResponse.object(.ok, [("api_version", .string(Self.currentVersion))])
        }
        table.add(.get, "/info") { _, _, _ in try await seedInfo() }
        table.add(.get, "/1.0/info") { _, _, _ in try await info() }
        addHAProxyRoutes(&table)
        addCertificateRoutes(&table)
        addDetailsRoutes(&table)
        addNetworkRoutes(&table)
        addLVSRoutes(&table)
        addTopologyRoutes(&table)
        return table
    }

    func amphoraInfo() async throws -> AmphoraInfo { try await helper.call(.amphoraInfo) }

    /// `GET /info` (v0.1): hostname, uuid, haproxy_version, api_version.
    func seedInfo() async throws -> Response {
        let info = try await amphoraInfo()
        return JSONResponse.object(.ok, [
            ("hostname", .string(info.hostname)),
            ("uuid", .string(info.amphoraID.description)),
            ("haproxy_version", .optional(info.haproxyVersion)),
            ("api_version", .string(Self.seedVersion)),
        ])
    }

    /// `GET /1.0/info`: the upstream agent's fields.
    func info() async throws -> Response {
        let info = try await amphoraInfo()
        return JSONResponse.object(.ok, [
            ("hostname", .string(info.hostname)),
            ("haproxy_version", .optional(info.haproxyVersion)),
            ("api_version", .string(Self.currentVersion)),
            ("keepalived_version", .optional(info.keepalivedVersion)),
            ("ipvsadm_version", .optional(info.ipvsadmVersion)),
        ])
    }
}
