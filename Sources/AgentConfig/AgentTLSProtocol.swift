/// `[amphora_agent] agent_tls_protocol`: the lowest TLS version the front accepts from the
/// controller, spelled as Octavia spells it (`octavia.common.constants.TLS_ALL_VERSIONS`).
///
/// Upstream hands the value to gunicorn as `ssl.PROTOCOL_TLSv1_2` and the like; this agent reads it
/// as its documented meaning, a minimum. The front never goes below TLS 1.2 (its cipher suites are
/// TLS 1.2 AEAD suites): the older values are accepted, so an operator's file still loads, and
/// served as TLS 1.2 with one warning.
public enum AgentTLSProtocol: String, Sendable, CaseIterable {
    case sslv3 = "SSLv3"
    case tlsv1 = "TLSv1"
    case tlsv11 = "TLSv1.1"
    case tlsv12 = "TLSv1.2"
    case tlsv13 = "TLSv1.3"

    /// Upstream's default.
    public static let `default` = AgentTLSProtocol.tlsv12

    /// The minimum the front applies: TLS 1.3 when asked for, TLS 1.2 otherwise.
    public var effectiveMinimum: AgentTLSProtocol { self == .tlsv13 ? .tlsv13 : .tlsv12 }

    /// Whether the value asks for less than the front's floor (and is raised to TLS 1.2).
    public var isBelowFloor: Bool { effectiveMinimum != self }
}
