/// keepalived's syslog facility: upstream starts every keepalived (VRRP and LVS) with
/// `--log-facility=<[amphora_agent] administrative_log_facility>`, so the controller's rsyslog
/// offloading finds its messages on `LOCAL<n>`.
///
/// The standalone agent passes ``argument(_:)`` itself. The systemd units are static files: they
/// read `LOG_FACILITY` from ``environmentFileName`` under `base_path`, which the helper writes at
/// every start (``environment(_:)``), with `Environment=LOG_FACILITY=1` (Octavia's default) before it.
public enum KeepalivedLogFacility {
    /// `<base_path>/keepalived.env`, read by `octavia-keepalived.service` and `octavia-keepalivedlvs@.service`.
    public static let environmentFileName = "keepalived.env"

    /// keepalived's option for the configured facility.
    public static func argument(_ config: AgentConfiguration) -> String { "--log-facility=\(config.administrativeLogFacility)" }

    /// The environment file's text: `LOG_FACILITY=<n>`.
    public static func environment(_ config: AgentConfiguration) -> String { "LOG_FACILITY=\(config.administrativeLogFacility)\n" }
}
