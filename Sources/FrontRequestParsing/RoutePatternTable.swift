/// The front's route table without its HTTP types: patterns of literal and parameter segments, each
/// with a method and a handler, and the lookup that tells a found route from a wrong method (405,
/// with the methods the path allows), an unknown path (404) and a parameter that is not valid
/// percent-encoded UTF-8 (400).
///
/// Empty path segments are ignored, so the controller's `GET //` reaches `/`. A parameter segment
/// is percent-decoded exactly once (``PercentDecoding``); literals compare byte for byte.
/// ```swift
/// var table = RoutePatternTable<String, Int>()
/// table.add("GET", "/1.0/loadbalancer/:lb/haproxy", 1)
/// table.match(method: "GET", path: "/1.0/loadbalancer/a%2Fb/haproxy")   // .found(1, ["lb": "a/b"])
/// ```
public struct RoutePatternTable<Method: Equatable & Sendable, Handler: Sendable>: Sendable {
    /// One segment of a pattern.
    public enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    /// One route: method, pattern segments and what serves it.
    public struct Route: Sendable {
        public let method: Method
        public let segments: [Segment]
        public let handler: Handler
    }

    /// The outcome of looking a request up.
    public enum Match {
        case found(Handler, RouteParameters)
        case wrongMethod(allowed: [Method])
        case notFound
        case badEncoding
    }

    public private(set) var routes: [Route] = []

    public init() {}

    /// Adds a route; `pattern` segments starting with `:` are parameters (`/1.0/loadbalancer/:lb/haproxy`).
    public mutating func add(_ method: Method, _ pattern: String, _ handler: Handler) {
        let segments = pattern.split(separator: "/").map { part -> Segment in
            part.hasPrefix(":") ? .parameter(String(part.dropFirst())) : .literal(String(part))
        }
        routes.append(Route(method: method, segments: segments, handler: handler))
    }

    /// The route `method` and `path` (the request target's path, still percent-encoded) reach.
    public func match(method: Method, path: String) -> Match {
        let rawSegments = path.split(separator: "/", omittingEmptySubsequences: true)
        var allowed: [Method] = []
        var sawBadEncoding = false
        for route in routes where route.segments.count == rawSegments.count {
            var parameters = RouteParameters()
            var matched = true
            for (segment, raw) in zip(route.segments, rawSegments) {
                switch segment {
                case .literal(let literal):
                    if !literal.utf8.elementsEqual(raw.utf8) { matched = false }
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

extension RoutePatternTable.Route {
    /// The pattern the route was added with, normalised (`/1.0/loadbalancer/:lb/haproxy`).
    public var pattern: String {
        "/" + segments.map { segment in
            switch segment {
            case .literal(let text): text
            case .parameter(let name): ":" + name
            }
        }.joined(separator: "/")
    }
}
