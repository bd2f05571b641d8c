import HTTPTypes
import Hummingbird
import IPCProtocol
import NIOCore

/// The front's one error type: an HTTP status and a JSON body, decided at the route layer.
///
/// Two body shapes exist because the upstream agent has two: handler errors carry
/// `{"message": …, "details": …}`, framework-level errors (unknown route, wrong method, body too
/// large, malformed request) carry `{"error": "404 Not Found: …", "http_code": 404}`.
public struct APIError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var body: JSONValue
    public var extraHeaders: HTTPFields = [:]

    public init(status: HTTPResponse.Status, body: JSONValue) {
        self.status = status
        self.body = body
    }

    /// `{"message": …, "details": …}` (details omitted when nil).
    public static func message(_ status: HTTPResponse.Status, _ message: String, details: String? = nil) -> APIError {
        var members: [(String, JSONValue)] = [("message", .string(message))]
        if let details { members.append(("details", .string(details))) }
        return APIError(status: status, body: .object(members))
    }

    /// `{"error": "<code> <reason>: <description>", "http_code": <code>}` as werkzeug renders it.
    public static func framework(_ status: HTTPResponse.Status, _ description: String) -> APIError {
        APIError(
            status: status,
            body: .object([
                ("error", .string("\(status.code) \(status.reasonPhrase): \(description)")),
                ("http_code", .number(String(status.code))),
            ]))
    }

    /// The status a helper error class maps to (identical for both API versions unless a route says otherwise).
    public static func status(for code: CommandError.Code) -> HTTPResponse.Status {
        switch code {
        case .badRequest: return .badRequest
        case .notFound, .instanceNotFound, .lvsListenerNotFound, .certificateNotFound: return .notFound
        case .conflict: return .conflict
        case .unavailable: return .serviceUnavailable
        case .tooLarge: return .badRequest  // 413 would be success to the controller (BodyLimit)
        case .internalError: return .internalServerError
        }
    }

    /// The default rendering of a helper error.
    public static func from(_ error: CommandError) -> APIError {
        .message(status(for: error.code), error.message, details: error.details)
    }

    /// The helper answered with a reply of another kind than the command's (``UnexpectedReply``).
    static let unexpectedReply = message(.internalServerError, "Unexpected reply from the helper")

    static let notFound = framework(
        .notFound,
        "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.")

    /// The response: always `application/json`, sent in one piece.
    public var response: Response { JSONResponse.make(status, body, headers: extraHeaders) }
}

/// JSON responses with an exact Content-Length, so each is written in one go.
public enum JSONResponse {
    public static func make(_ status: HTTPResponse.Status, _ body: JSONValue, headers: HTTPFields = [:]) -> Response {
        var bytes = body.serialized()
        bytes.append(UInt8(ascii: "\n"))
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A JSON object response from ordered members.
    public static func object(_ status: HTTPResponse.Status, _ members: [(String, JSONValue)], headers: HTTPFields = [:]) -> Response {
        make(status, .object(members), headers: headers)
    }
}

extension JSONValue {
    /// A string, or null when absent.
    static func optional(_ string: String?) -> JSONValue { string.map { .string($0) } ?? .null }
}
