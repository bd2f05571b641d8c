import HTTPTypes
import Hummingbird
import IPCProtocol
import Logging
import NIOCore
import NIOEmbedded
import Testing

@testable import FrontAPI

/// The front's routes over a ``RecordingHelper``: a request in, the response's status, headers and body out.
struct RouteHarness {
    let helper: RecordingHelper
    let responder: AgentResponder

    /// A self-signed identity for ``ServerTLSIdentity`` (made once by the openssl CLI).
    static let material: [String: String]? = try? ServableIdentityTests.material()

    init(_ script: @escaping @Sendable (Command) throws -> Reply) throws {
        let material = try #require(Self.material)
        let pem = TLSIdentity(
            serverCertificateChainPEM: material["rsa.crt"] ?? "", serverPrivateKeyPEM: material["rsa.key"] ?? "",
            clientCAPEM: material["rsa.crt"] ?? "", serverCertificateDigest: "test")
        helper = RecordingHelper(script)
        let api = AgentAPI(helper: helper, tlsIdentity: try ServerTLSIdentity(pem), heartbeat: nil)
        responder = AgentResponder(table: api.routes(), logger: Logger(label: "route-tests"))
    }

    /// What the front answered.
    struct Answer {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var bytes: [UInt8]
        var json: JSONValue? { try? JSONValue(parsing: bytes) }
        var text: String { String(decoding: bytes, as: UTF8.self) }
        /// A top-level string member of a JSON object body.
        func string(_ key: String) -> String? {
            guard case .object(let members)? = json, case .string(let value)? = members.first(where: { $0.0 == key })?.1 else { return nil }
            return value
        }
    }

    func send(_ method: HTTPRequest.Method, _ path: String, body: String = "", headers: HTTPFields = [:]) async throws -> Answer {
        let request = Request(
            head: HTTPRequest(method: method, scheme: "https", authority: "amphora", path: path, headerFields: headers),
            body: RequestBody(buffer: ByteBuffer(string: body)))
        let channel = EmbeddedChannel()
        // A channel and its pipeline refer to each other until the channel is closed.
        defer { _ = try? channel.finish(acceptAlreadyClosed: true) }
        let context = AgentRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: Logger(label: "route-tests")))
        let response = try await responder.respond(to: request, context: context)
        let collector = BodyCollector()
        try await response.body.write(collector)
        return Answer(status: response.status, headers: response.headers, bytes: collector.bytes)
    }
}

/// Collects a response body.
final class BodyCollector: ResponseBodyWriter {
    var bytes: [UInt8] = []
    func write(_ buffer: ByteBuffer) async throws { bytes += Array(buffer.readableBytesView) }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
