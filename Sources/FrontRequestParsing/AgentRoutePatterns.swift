/// Every route the front serves, as method and pattern: the route fuzz target matches against this
/// table, and a FrontAPI test checks that it is exactly the table the front builds.
public enum AgentRoutePatterns {
    public static let all: [(method: String, pattern: String)] = [
        ("GET", "/"), ("GET", "/info"),
        ("GET", "/1.0/info"), ("PUT", "/v0.1/listeners/:amphora/:listener/haproxy"),
        ("GET", "/v0.1/listeners/:listener/haproxy"), ("PUT", "/v0.1/listeners/:listener/:action"),
        ("DELETE", "/v0.1/listeners/:listener"), ("GET", "/v0.1/listeners"),
        ("GET", "/v0.1/listeners/:listener"), ("PUT", "/1.0/loadbalancer/:amphora/:lb/haproxy"),
        ("GET", "/1.0/loadbalancer/:lb/haproxy"), ("PUT", "/1.0/loadbalancer/:lb/:action"),
        ("DELETE", "/1.0/listeners/:id"), ("GET", "/1.0/listeners"),
        ("PUT", "/v0.1/listeners/:listener/certificates/:filename"), ("GET", "/v0.1/listeners/:listener/certificates/:filename"),
        ("DELETE", "/v0.1/listeners/:listener/certificates/:filename"), ("PUT", "/1.0/loadbalancer/:lb/certificates/:filename"),
        ("GET", "/1.0/loadbalancer/:lb/certificates/:filename"), ("DELETE", "/1.0/loadbalancer/:lb/certificates/:filename"),
        ("PUT", "/v0.1/certificate"), ("PUT", "/1.0/certificate"),
        ("GET", "/v0.1/details"), ("GET", "/1.0/details"),
        ("PUT", "/1.0/config"), ("GET", "/v0.1/interface/:ip"),
        ("GET", "/1.0/interface/:ip"), ("POST", "/v0.1/plug/vip/:ip"),
        ("POST", "/1.0/plug/vip/:ip"), ("POST", "/v0.1/plug/network"),
        ("POST", "/1.0/plug/network"), ("PUT", "/1.0/listeners/:amphora/:listener/udp_listener"),
        ("GET", "/1.0/listeners/:listener/udp_listener"), ("PUT", "/1.0/interface/:ip/rules"),
        ("GET", "/v0.1/topology"), ("POST", "/v0.1/topology"),
        ("PUT", "/v0.1/vrrp/upload"), ("PUT", "/v0.1/vrrp/:action"),
        ("PUT", "/1.0/vrrp/upload"), ("PUT", "/1.0/vrrp/:action"),
    ]
}
