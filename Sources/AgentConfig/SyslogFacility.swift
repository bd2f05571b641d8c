/// A syslog facility as oslo.log reads `[DEFAULT] syslog_log_facility`: a name from syslog(3),
/// with or without its `LOG_` prefix, in any case (`LOG_LOCAL1`, `local1`).
///
/// Octavia's template writes `syslog_log_facility = LOG_LOCAL<administrative_log_facility>`, the
/// facility the controller's rsyslog offloading forwards to its administrative log targets.
public struct SyslogFacility: Sendable, Equatable, CustomStringConvertible {
    /// The facility number (`LOG_LOCAL1` is 17); a message's priority is `code * 8 + severity`.
    public let code: Int

    /// The names oslo.log accepts, without `LOG_`, by facility number.
    static let names: [String: Int] = [
        "KERN": 0, "USER": 1, "MAIL": 2, "DAEMON": 3, "AUTH": 4, "SYSLOG": 5, "LPR": 6, "NEWS": 7, "UUCP": 8,
        "CRON": 9, "AUTHPRIV": 10, "FTP": 11, "LOCAL0": 16, "LOCAL1": 17, "LOCAL2": 18, "LOCAL3": 19,
        "LOCAL4": 20, "LOCAL5": 21, "LOCAL6": 22, "LOCAL7": 23,
    ]

    /// `LOG_LOCAL<number>`, number 0-7 (`administrative_log_facility`, `user_log_facility`).
    public static func local(_ number: Int) -> SyslogFacility {
        SyslogFacility(code: 16 + min(max(number, 0), 7))
    }

    init(code: Int) {
        self.code = code
    }

    /// Parses a facility name; nil for anything oslo.log would refuse.
    public init?(parsing text: String) {
        guard text.utf8.allSatisfy({ $0 >= 0x21 && $0 < 0x7F }) else { return nil }
        var name = text.uppercased()
        if name.hasPrefix("LOG_") { name.removeFirst(4) }
        guard let code = Self.names[name] else { return nil }
        self.code = code
    }

    /// `LOG_<NAME>`.
    public var description: String {
        "LOG_" + (Self.names.first { $0.value == code }?.key ?? "USER")
    }
}
