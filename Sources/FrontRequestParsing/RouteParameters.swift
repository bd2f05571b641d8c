/// Path parameters of a matched route, percent-decoded exactly once.
public struct RouteParameters: Sendable, Equatable {
    public internal(set) var values: [String: String] = [:]
    public init() {}
    /// The parameter's decoded value; empty when the route has no such parameter.
    public subscript(_ name: String) -> String { values[name] ?? "" }
}
