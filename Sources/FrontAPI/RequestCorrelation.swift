import Crypto
import FrontRequestParsing
import HTTPTypes
import IPCProtocol
import NIOCore
import NIOSSL

/// Ties each controller request to the helper's audit records: the `X-Openstack-Request-Id` the
/// front answers with, and the ``IPCProtocol/ControllerRequest`` it sends with every command.
///
/// The controller's id is kept when it is exactly one header value of upstream's shape
/// (`req-<uuid>`); anything else (absent, repeated, malformed, hostile bytes) is replaced by a
/// new id, never echoed. ``AgentResponder`` binds ``current`` for the duration of a request, and
/// ``HelperSocketClient`` reads it for every command it sends, so routes need not pass it along.
/// ```
/// let id = RequestCorrelation.requestID(from: request.headers)
/// try await RequestCorrelation.$current.withValue(origin) { try await handler(...) }
/// ```
public enum RequestCorrelation {
    /// The header, as OpenStack services send and answer it.
    public static let header: HTTPField.Name = {
        guard let name = HTTPField.Name("X-Openstack-Request-Id") else { preconditionFailure("a valid field name") }
        return name
    }()

    /// The controller request being served by the current task; nil outside one (the heartbeat,
    /// the settings request at start).
    @TaskLocal public static var current: ServedRequest?

    /// The controller's request id when it sent exactly one valid one, else a new one.
    public static func requestID(from headers: HTTPFields) -> OpenStackRequestID {
        let values = headers[values: header]
        if values.count == 1, let id = OpenStackRequestID(values[0]) { return id }
        return .generate()
    }

    /// What the helper is told about a request: its id, method, path (escaped and cut to the
    /// protocol's bounds) and the client certificate, if the connection has one.
    static func origin(
        requestID: OpenStackRequestID, method: HTTPRequest.Method, path: String, client: ClientCertificateIdentity?
    ) -> ControllerRequest? {
        try? ControllerRequest(
            requestID: requestID, method: AuditedRequestText.method(method.rawValue), path: AuditedRequestText.path(path),
            clientSubject: client?.subject, clientFingerprint: client?.fingerprint)
    }
}

/// A controller request being served. The client certificate is read (an event-loop hop, a SHA-256
/// and a DER walk) only when a command goes to the helper, not for every request.
public struct ServedRequest: Sendable {
    let requestID: OpenStackRequestID
    let method: HTTPRequest.Method
    let path: String
    /// The request's connection; nil where there is none (route unit tests).
    let channel: (any Channel)?

    /// What the helper is told about the request (``RequestCorrelation/origin(requestID:method:path:client:)``).
    public func controllerRequest() async -> ControllerRequest? {
        var client: ClientCertificateIdentity?
        if let channel { client = await ClientCertificateIdentity.of(channel) }
        return RequestCorrelation.origin(requestID: requestID, method: method, path: path, client: client)
    }
}

/// The client certificate of a TLS connection, as the audit log names it: its subject and the
/// SHA-256 of its DER encoding.
struct ClientCertificateIdentity: Sendable, Equatable {
    let subject: String
    let fingerprint: String
}

extension ClientCertificateIdentity {
    /// The identity of a DER-encoded certificate.
    init(der: [UInt8]) {
        fingerprint = HexText.lowercase(SHA256.hash(data: der))
        subject = AuditedRequestText.subject(CertificateSubject.text(fromCertificateDER: der) ?? "")
    }

    /// The peer certificate of `channel`'s TLS connection; nil without TLS (route unit tests) or
    /// without a certificate (mutual TLS makes one mandatory in the front).
    static func of(_ channel: any Channel) async -> ClientCertificateIdentity? {
        guard let certificate = try? await channel.nioSSL_peerCertificate().get(), let der = try? certificate.toDERBytes() else {
            return nil
        }
        return ClientCertificateIdentity(der: der)
    }
}
