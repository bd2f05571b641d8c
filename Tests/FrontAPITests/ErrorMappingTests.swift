import HTTPTypes
import IPCProtocol
import Testing

@testable import FrontAPI

private let lb = "3f5d6c1e-0a1b-4c2d-8e3f-4a5b6c7d8e9f"

@Suite("Helper errors map to statuses and JSON bodies by code, never by message")
struct ErrorMappingTests {
    @Test("each code has its status, and the default body is the helper's message and details as JSON")
    func everyCodeHasAStatus() async throws {
        let expected: [CommandError.Code: HTTPResponse.Status] = [
            .badRequest: .badRequest, .notFound: .notFound, .instanceNotFound: .notFound, .lvsListenerNotFound: .notFound,
            .certificateNotFound: .notFound, .conflict: .conflict, .unavailable: .serviceUnavailable,
            // 400, never 413: the controller takes a 413 for success (docs/limits.md).
            .tooLarge: .badRequest, .internalError: .internalServerError,
        ]
        #expect(Set(expected.keys) == Set(CommandError.Code.allCases))
        for code in CommandError.Code.allCases {
            #expect(APIError.status(for: code) == expected[code], "\(code)")
            // Through a route that passes helper errors on unchanged: the interface lookup.
            let harness = try RouteHarness { _ in throw CommandError(code, "Some words", details: "more") }
            let answer = try await harness.send(.get, "/1.0/interface/203.0.113.10")
            #expect(answer.status == expected[code], "\(code)")
            #expect(answer.headers[.contentType] == "application/json", "\(code)")
            #expect(answer.json == .object([("message", .string("Some words")), ("details", .string("more"))]), "\(code)")
        }
    }

    @Test("an unknown haproxy instance is worded per API version, whatever the helper's message")
    func instanceNotFoundIsWordedPerVersion() async throws {
        let harness = try RouteHarness { _ in throw CommandError(.instanceNotFound, "anything") }
        for (path, message, details) in [
            ("/v0.1/listeners/\(lb)/haproxy", "Listener Not Found", "No listener with UUID: \(lb)"),
            ("/1.0/loadbalancer/\(lb)/haproxy", "Loadbalancer Not Found", "No loadbalancer with UUID: \(lb)"),
            ("/v0.1/listeners/\(lb)", "Listener Not Found", "No listener with UUID: \(lb)"),
            ("/v0.1/listeners/\(lb)/certificates/a.pem", "Listener Not Found", "No listener with UUID: \(lb)"),
            ("/1.0/loadbalancer/\(lb)/certificates/a.pem", "Loadbalancer Not Found", "No loadbalancer with UUID: \(lb)"),
        ] {
            let answer = try await harness.send(.get, path)
            #expect(answer.status == .notFound, "\(path)")
            #expect(answer.string("message") == message, "\(path)")
            #expect(answer.string("details") == details, "\(path)")
        }
        for (path, message) in [("/v0.1/listeners/\(lb)/start", "Listener Not Found"), ("/1.0/loadbalancer/\(lb)/start", "Loadbalancer Not Found")] {
            let answer = try await harness.send(.put, path)
            #expect(answer.status == .notFound, "\(path)")
            #expect(answer.string("message") == message, "\(path)")
        }
    }

    @Test("a missing certificate keeps the helper's words; a generic not-found is not taken for a missing instance")
    func otherNotFoundsPassThrough() async throws {
        let missingFile = try RouteHarness { _ in throw CommandError(.certificateNotFound, "Certificate Not Found", details: "No certificate with filename: a.pem") }
        let file = try await missingFile.send(.get, "/v0.1/listeners/\(lb)/certificates/a.pem")
        #expect(file.status == .notFound)
        #expect(file.string("message") == "Certificate Not Found")
        // The old text comparison's trap: a plain not-found that says "Instance Not Found" stays as it is.
        let generic = try RouteHarness { _ in throw CommandError(.notFound, "Instance Not Found", details: "x") }
        let answer = try await generic.send(.get, "/1.0/loadbalancer/\(lb)/certificates/a.pem")
        #expect(answer.string("message") == "Instance Not Found")
    }

    @Test("a missing UDP listener is worded for the UDP listener route")
    func lvsListenerNotFound() async throws {
        let harness = try RouteHarness { _ in throw CommandError(.lvsListenerNotFound, "x") }
        let answer = try await harness.send(.get, "/1.0/listeners/\(lb)/udp_listener")
        #expect(answer.status == .notFound)
        #expect(answer.json == .object([("message", .string("UDP Listener Not Found")), ("details", .string("No UDP listener with UUID: \(lb)"))]))
    }

    @Test("a reply of the wrong kind is 500, an unreachable helper 503, both JSON")
    func protocolFailures() async throws {
        let wrongKind = try RouteHarness { _ in .deleted(existed: true) }
        let answer = try await wrongKind.send(.get, "/1.0/info")
        #expect(answer.status == .internalServerError)
        #expect(answer.string("message") == "Unexpected reply from the helper")
        #expect(answer.headers[.contentType] == "application/json")
        let down = try RouteHarness { _ in throw HelperUnavailable(reason: "test") }
        let unavailable = try await down.send(.get, "/1.0/info")
        #expect(unavailable.status == .serviceUnavailable)
        #expect(unavailable.string("message") == "Helper unavailable")
        #expect(unavailable.headers[.contentType] == "application/json")
    }

    @Test("the typed call returns the answer and sends the request's command")
    func typedCall() async throws {
        let helper = RecordingHelper { _ in .certificateDigest(md5: "ab") }
        let id = try ResourceID(validating: lb)
        let file = try CertificateFileName(validating: "a.pem")
        let md5 = try await helper.call(.certificateDigest(instance: id, file: file, scope: .listener))
        #expect(md5 == "ab")
        #expect(helper.sent == [.certificateDigest(instance: id, file: file, scope: .listener)])
        await #expect(throws: UnexpectedReply.self) { try await helper.call(.topology) }
    }
}
