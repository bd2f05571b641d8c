import LinuxSystem
import Logging

/// The process-wide logging settings, applied once the configuration is known: the level
/// (`[DEFAULT] debug`) and, when `use_syslog` is on, the syslog socket every line is also sent to.
///
/// Logging is bootstrapped before the configuration is read (its errors must be logged), so the
/// handlers read these settings for every line instead of copying them at creation. Upstream's agent
/// applies its logging options at start only; so does this one (a `PUT /1.0/config` takes effect at
/// the next start).
///
/// ```
/// LogSettings.apply(debug: config.debug, syslog: try SyslogSink.open(...))
/// ```
public enum LogSettings {
    struct State: Sendable {
        var level: Logger.Level = .info
        var syslog: SyslogSink?
    }

    static let state = LockedValue(State())

    /// The level every logger without an explicitly set level logs at (`.info`, `.debug` with `debug`).
    public static var level: Logger.Level { state.withLock { $0.level } }

    /// The syslog socket lines are also sent to, if any.
    public static var syslog: SyslogSink? { state.withLock { $0.syslog } }

    /// Applies the configuration's logging keys: `debug` → `.debug`, otherwise `.info`; `syslog`
    /// (nil when `use_syslog` is off) receives every line from now on.
    public static func apply(debug: Bool, syslog: SyslogSink?) {
        state.withLock { state in
            state.level = debug ? .debug : .info
            state.syslog = syslog
        }
    }
}
