import Foundation
import FrontRequestParsing
import HTTPTypes
import IPCProtocol
import LinuxSystem
import Testing

@testable import FrontAPI

/// `X-Openstack-Request-Id` and what the front tells the helper about a request.
@Suite("request correlation")
struct RequestCorrelationTests {
    static let valid = "req-3f2504e0-4f89-41d3-9a0c-0305e82c3301"

    @Test("a valid controller id is kept; absent, repeated or malformed ones are replaced")
    func requestID() {
        #expect(RequestCorrelation.requestID(from: [RequestCorrelation.header: Self.valid]).description == Self.valid)
        for hostile in ["req-x", "<b>", Self.valid + " ", Self.valid.uppercased()] {
            let id = RequestCorrelation.requestID(from: [RequestCorrelation.header: hostile]).description
            #expect(id != hostile && OpenStackRequestID(id) != nil)
        }
        var twice = HTTPFields()
        twice.append(HTTPField(name: RequestCorrelation.header, value: Self.valid))
        twice.append(HTTPField(name: RequestCorrelation.header, value: Self.valid))
        #expect(RequestCorrelation.requestID(from: twice).description != Self.valid)
        #expect(OpenStackRequestID(RequestCorrelation.requestID(from: [:]).description) != nil)
    }

    @Test("paths and subjects are escaped to printable ASCII and cut to the protocol's bounds")
    func escaping() {
        #expect(AuditedRequestText.path("/1.0/info") == "/1.0/info")
        #expect(AuditedRequestText.path("/a b\n\u{e9}") == "/a%20b%0A%C3%A9")
        let long = AuditedRequestText.path("/" + String(repeating: "x", count: 5000))
        #expect(long.utf8.count == ControllerRequest.maximumPathLength && long.hasSuffix("..."))
        #expect(AuditedRequestText.subject("CN=K\u{e9}vin,O=A B") == "CN=K\\C3\\A9vin,O=A B")
        #expect(AuditedRequestText.method("PUT") == "PUT")
        #expect(AuditedRequestText.method("pu\nt") == "OTHER")
        let origin = RequestCorrelation.origin(
            requestID: .generate(), method: .put, path: "/\u{0}", client: ClientCertificateIdentity(subject: "CN=c", fingerprint: String(repeating: "0", count: 64)))
        #expect(origin?.path == "/%00")
    }

    @Test("the subject of a real certificate, read from its DER")
    func subjectFromDER() throws {
        let material = try #require(RouteHarness.material)
        let pem = try #require(material["rsa.crt"])
        let body = pem.components(separatedBy: "-----BEGIN CERTIFICATE-----")[1].components(separatedBy: "-----END CERTIFICATE-----")[0]
        let der = try #require(Data(base64Encoded: body.filter { !$0.isWhitespace }))
        let identity = ClientCertificateIdentity(der: Array(der))
        #expect(identity.fingerprint.utf8.count == 64)
        #expect(identity.subject.contains("CN="), "\(identity.subject)")
        #expect(CertificateSubject.text(fromCertificateDER: Array(der.prefix(40))) == nil)
        #expect(CertificateSubject.text(fromCertificateDER: []) == nil)
    }

    @Test("every answer, errors included, carries the id; helper commands carry the request")
    func routesAnswerWithID() async throws {
        let seen = SeenOrigins()
        let harness = try RouteHarness { command in
            seen.add(RequestCorrelation.current)
            throw CommandError(.instanceNotFound, "Instance Not Found")
        }
        let missing = try await harness.send(.get, "/1.0/loadbalancer/3f2504e0-4f89-41d3-9a0c-0305e82c3301/haproxy", headers: [RequestCorrelation.header: Self.valid])
        #expect(missing.status == .notFound)
        #expect(missing.headers[RequestCorrelation.header] == Self.valid)
        let served = try #require(seen.all.first ?? nil)
        let origin = try #require(await served.controllerRequest())
        #expect(origin.requestID.description == Self.valid)
        #expect(origin.method == "GET")
        #expect(origin.path == "/1.0/loadbalancer/3f2504e0-4f89-41d3-9a0c-0305e82c3301/haproxy")
        #expect(origin.clientFingerprint == nil)
        let unknown = try await harness.send(.get, "/nowhere")
        #expect(unknown.status == .notFound)
        #expect(OpenStackRequestID(unknown.headers[RequestCorrelation.header] ?? "") != nil)
    }
}

/// What the recording helper saw as the current controller request, per command.
final class SeenOrigins: Sendable {
    let origins = LockedValue<[ServedRequest?]>([])
    func add(_ origin: ServedRequest?) { origins.withLock { $0.append(origin) } }
    var all: [ServedRequest?] { origins.withLock { $0 } }
}
