import Crypto
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
            requestID: requestID, method: auditedMethod(method.rawValue), path: auditedPath(path),
            clientSubject: client?.subject, clientFingerprint: client?.fingerprint)
    }

    /// The method when it is upper-case letters (all the routes use), else `OTHER`.
    static func auditedMethod(_ method: String) -> String {
        let letters = method.utf8.allSatisfy { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
        return letters && !method.isEmpty && method.utf8.count <= ControllerRequest.maximumMethodLength ? method : "OTHER"
    }

    /// `path` with every byte outside printable ASCII (and `%` itself left as is) percent-escaped,
    /// cut to ``IPCProtocol/ControllerRequest/maximumPathLength`` bytes (a cut path ends in `...`).
    static func auditedPath(_ path: String) -> String {
        let escaped = escape(path.utf8) { byte in "%" + HexText.uppercase([byte]) }
        let text = escaped.utf8.first == UInt8(ascii: "/") ? escaped : "/" + escaped
        return cut(text, to: ControllerRequest.maximumPathLength)
    }

    /// `subject` with every byte outside printable ASCII written `\XX` (RFC 4514's hex escape), cut
    /// to ``IPCProtocol/ControllerRequest/maximumSubjectLength`` bytes.
    static func auditedSubject(_ subject: String) -> String {
        cut(escape(subject.utf8, allowingSpace: true) { byte in "\\" + HexText.uppercase([byte]) }, to: ControllerRequest.maximumSubjectLength)
    }

    static func escape(_ bytes: String.UTF8View, allowingSpace: Bool = false, _ escaped: (UInt8) -> String) -> String {
        var out = ""
        for byte in bytes {
            if byte > 0x20 && byte < 0x7F || allowingSpace && byte == 0x20 {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += escaped(byte)
            }
        }
        return out
    }

    static func cut(_ text: String, to limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        // ASCII only: one byte per character.
        return String(text.prefix(limit - 3)) + "..."
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
        subject = RequestCorrelation.auditedSubject(CertificateSubject.text(fromCertificateDER: der) ?? "")
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
