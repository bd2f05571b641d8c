import HTTPTypes
import Hummingbird
import IPCProtocol
import NIOCore

/// The request context of the front: Hummingbird's core storage, the connection (for its client
/// certificate, ``ClientCertificateIdentity``) and the body limit.
public struct AgentRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection the request arrived on.
    public let channel: any Channel
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
    /// The largest request body (a haproxy configuration; certificates and JSON are far smaller):
    /// ``BodyLimit/maximumSize``. A body declared larger is refused before it is read
    /// (``DeclaredLengthGate``); a chunked one when it grows past it.
    public var maxUploadSize: Int { BodyLimit.maximumSize }
}

/// Path parameters of a matched route, percent-decoded exactly once.
public struct RouteParameters: Sendable {
    var values: [String: String] = [:]
    public subscript(_ name: String) -> String { values[name] ?? "" }
}

/// What a route does with a request.
public typealias RouteHandler = @Sendable (Request, AgentRequestContext, RouteParameters) async throws -> Response

/// A small, explicit route table for both API versions.
///
/// Unlike a plain trie it knows every path's methods, so a wrong method answers 405 (with `Allow`)
/// and an unknown path 404, both as JSON. Empty path segments are ignored, so the controller's
/// `GET //` reaches `/`.
public struct RouteTable: Sendable {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    struct Route: Sendable {
        let method: HTTPRequest.Method
        let segments: [Segment]
        let handler: RouteHandler
    }

    private(set) var routes: [Route] = []

    public init() {}

    /// Adds a route; `pattern` segments starting with `:` are parameters (`/1.0/loadbalancer/:lb/haproxy`).
    public mutating func add(_ method: HTTPRequest.Method, _ pattern: String, _ handler: @escaping RouteHandler) {
        let segments = pattern.split(separator: "/").map { part -> Segment in
            part.hasPrefix(":") ? .parameter(String(part.dropFirst())) : .literal(String(part))
        }
        routes.append(Route(method: method, segments: segments, handler: handler))
    }

    /// The outcome of looking a request up.
    enum Match {
        case found(RouteHandler, RouteParameters)
        case wrongMethod(allowed: [HTTPRequest.Method])
        case notFound
        case badEncoding
    }

    func match(method: HTTPRequest.Method, path: String) -> Match {
        let rawSegments = path.split(separator: "/", omittingEmptySubsequences: true)
        var allowed: [HTTPRequest.Method] = []
        var sawBadEncoding = false
        for route in routes where route.segments.count == rawSegments.count {
            var parameters = RouteParameters()
            var matched = true
            for (segment, raw) in zip(route.segments, rawSegments) {
                switch segment {
                case .literal(let literal):
                    if literal != raw { matched = false }
                case .parameter(let name):
                    guard let decoded = PercentDecoding.decodeOnce(raw) else {
                        sawBadEncoding = true
                        matched = false
                        break
                    }
                    parameters.values[name] = decoded
                }
                if !matched { break }
            }
            guard matched else { continue }
            if route.method == method { return .found(route.handler, parameters) }
            allowed.append(route.method)
        }
        if !allowed.isEmpty { return .wrongMethod(allowed: allowed) }
        return sawBadEncoding ? .badEncoding : .notFound
    }
}

/// Percent-decoding of one path segment, done exactly once.
enum PercentDecoding {
    /// Decodes `%XX` escapes; nil for a malformed escape or a result that is not UTF-8.
    static func decodeOnce(_ segment: Substring) -> String? {
        var out: [UInt8] = []
        var iterator = Array(segment.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                out.append(high << 4 | low)
            } else {
                out.append(byte)
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
