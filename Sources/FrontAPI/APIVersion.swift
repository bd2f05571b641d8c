import HTTPTypes
import IPCProtocol

/// Which API version a route serves: v0.1 (the seed spec, per-listener resources) or 1.0 (today's
/// controller, per-load-balancer resources). Decides not-found wording and success codes.
enum APIVersion {
    case seed
    case current

    /// 404 for an unknown haproxy instance, in this version's words.
    func notFound(_ id: ResourceID) -> APIError {
        switch self {
        case .seed: return .message(.notFound, "Listener Not Found", details: "No listener with UUID: \(id)")
        case .current: return .message(.notFound, "Loadbalancer Not Found", details: "No loadbalancer with UUID: \(id)")
        }
    }
}
