import IPCProtocol
import Testing

/// The controller request the front sends with each command (IPC version 2): request ids of
/// upstream's shape only, bounded printable ASCII everywhere, refused on decode otherwise.
@Suite("controller request")
struct ControllerRequestTests {
    static let id = "req-3f2504e0-4f89-41d3-9a0c-0305e82c3301"
    static let fingerprint = String(repeating: "ab", count: 32)

    static func sample(path: String = "/1.0/loadbalancer/x/haproxy") throws -> ControllerRequest {
        try ControllerRequest(
            requestID: OpenStackRequestID(validating: id), method: "PUT", path: path, clientSubject: "CN=controller,O=Octavia",
            clientFingerprint: fingerprint)
    }

    @Test("request ids: req- and a lowercase UUID, nothing else", arguments: [
        ("req-3f2504e0-4f89-41d3-9a0c-0305e82c3301", true),
        ("req-3F2504E0-4F89-41D3-9A0C-0305E82C3301", false),
        ("3f2504e0-4f89-41d3-9a0c-0305e82c3301", false),
        ("req-3f2504e0-4f89-41d3-9a0c-0305e82c3301x", false),
        ("req-3f2504e0-4f89-41d3-9a0c-0305e82c330\n", false),
        ("req-../../../../etc/passwd-aaaaaaaaaaaaaa", false),
        ("", false),
    ])
    func requestIDShape(_ raw: String, _ valid: Bool) {
        #expect((OpenStackRequestID(raw) != nil) == valid)
    }

    @Test("generated ids are valid version-4 ids and differ")
    func generated() {
        let ids = (0..<64).map { _ in OpenStackRequestID.generate().description }
        #expect(ids.allSatisfy { OpenStackRequestID($0) != nil })
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { Array($0.utf8)[18] == UInt8(ascii: "4") })
    }

    @Test("method, path, subject and fingerprint are bounded printable ASCII")
    func fieldValidation() throws {
        let id = try OpenStackRequestID(validating: Self.id)
        func make(_ method: String = "PUT", path: String = "/", subject: String? = "CN=c", fingerprint: String? = Self.fingerprint) -> Bool {
            (try? ControllerRequest(requestID: id, method: method, path: path, clientSubject: subject, clientFingerprint: fingerprint)) != nil
        }
        #expect(make())
        #expect(make(subject: nil, fingerprint: nil))
        #expect(!make("put"))
        #expect(!make(""))
        #expect(!make("PUT\r\nX"))
        #expect(!make(String(repeating: "A", count: 17)))
        #expect(!make(path: "no-slash"))
        #expect(!make(path: "/a b"))
        #expect(!make(path: "/a\nb"))
        #expect(!make(path: "/é"))
        #expect(make(path: "/" + String(repeating: "a", count: ControllerRequest.maximumPathLength - 1)))
        #expect(!make(path: "/" + String(repeating: "a", count: ControllerRequest.maximumPathLength)))
        #expect(!make(subject: "CN=\u{7}"))
        #expect(!make(subject: String(repeating: "a", count: ControllerRequest.maximumSubjectLength + 1)))
        #expect(!make(fingerprint: String(repeating: "AB", count: 32)))
        #expect(!make(fingerprint: "ab"))
        #expect(!make(subject: "CN=c", fingerprint: nil))
    }

    @Test("the envelope carries it through the strict coder, and carries none when the front asks on its own")
    func envelopeRoundTrip() throws {
        let envelope = RequestEnvelope(id: 5, command: .amphoraInfo, origin: try Self.sample())
        let decoded = try StrictJSON.decode(RequestEnvelope.self, from: StrictJSON.encode(envelope))
        #expect(decoded == envelope)
        #expect(decoded.origin?.requestID.description == Self.id)
        #expect(decoded.version == 2)
        let bare = RequestEnvelope(id: 6, command: .heartbeatStats)
        #expect(try StrictJSON.decode(RequestEnvelope.self, from: StrictJSON.encode(bare)).origin == nil)
    }

    @Test("a hostile origin is refused by the decoder", arguments: [
        #""requestID":"req-x","method":"PUT","path":"/","clientSubject":"CN=c","clientFingerprint":"\#(fingerprint)""#,
        #""requestID":"\#(id)","method":"PUT","path":"/a\nb","clientSubject":"CN=c","clientFingerprint":"\#(fingerprint)""#,
        #""requestID":"\#(id)","method":"PUT","path":"/","clientSubject":"CN=\u001b[31m","clientFingerprint":"\#(fingerprint)""#,
        #""requestID":"\#(id)","method":"PUT","path":"/","clientSubject":"CN=c","clientFingerprint":"\#(fingerprint)","extra":1"#,
        #""requestID":"\#(id)","path":"/""#,
    ])
    func hostileOrigin(_ members: String) {
        let json = #"{"version":2,"id":1,"command":{"amphoraInfo":{}},"origin":{\#(members)}}"#
        #expect(throws: (any Error).self) { try StrictJSON.decode(RequestEnvelope.self, from: Array(json.utf8)) }
    }
}
