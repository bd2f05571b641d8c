import IPCProtocol

/// The allow-list of a haproxy `log-format` string (the value haproxy sees, after the tokenizer).
///
/// haproxy parses a log-format (src/log.c `parse_logformat_string`) into text, separators and
/// `%` variables; a `%[...]` variable is a sample expression whose converters may open files
/// (`map_ip(/etc/shadow)` makes even `haproxy -c` read the file and quote its first line). Octavia
/// renders `[haproxy_amphora] user_log_format` (default `{{ project_id }} {{ lb_id }} %f %ci %cp %t
/// %{+Q}r %ST %B %U %[ssl_c_verify] %{+Q}[ssl_c_s_dn] %b %s %Tt %tsc`), which operators may
/// customise, so this accepts exactly:
/// - text of ``textCharacters`` and spaces;
/// - `%NAME` and `%{FLAGS}NAME` with NAME one of haproxy 2.6's log variables (``variables``);
/// - `%[FETCH]` and `%{FLAGS}[FETCH]` with FETCH one of ``sampleFetches``, written exactly: no
///   converters (`,`), no arguments except the listed `(cn)` forms;
/// - FLAGS: one or more of `+Q`, `-Q`, `+X`, `-X`, `+E`, `-E`.
/// Everything else (`%%`, unknown variables, any other fetch, quotes, backslashes, `#`, `$`) is refused.
enum HAProxyLogFormat {
    /// At most this many bytes.
    static let maximumBytes = 4096

    /// Literal text characters: letters, digits and punctuation with no meaning to haproxy's
    /// log-format parser outside a `%` variable (`[` only opens a sample expression right after
    /// `%` or `%{FLAGS}`; haproxy's own HTTP format writes `[%tr]`).
    static let textCharacters = ASCIISet("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/@=,;|+*~!?^[]")

    /// haproxy 2.6's log-format variables (src/log.c `logformat_keywords`); each only reads the
    /// session, the request or the clock.
    static let variables: Set<String> = [
        "o", "B", "CC", "CS", "H", "ID", "ST", "T", "Ta", "Tc", "Th", "Ti", "Tl", "Tq", "Tr", "TR", "Td", "Ts",
        "Tt", "Tu", "Tw", "U", "ac", "b", "bc", "bi", "bp", "bq", "ci", "cp", "f", "fc", "fi", "fp", "ft", "hr",
        "hrl", "hs", "hsl", "HM", "HP", "HPO", "HQ", "HU", "HV", "lc", "ms", "pid", "r", "rc", "rt", "s", "sc",
        "si", "sp", "sq", "sslc", "sslv", "t", "tr", "trg", "trl", "ts", "tsc",
    ]

    /// The sample expressions a `%[...]` may hold: the ones Octavia's templates render and a few
    /// connection fetches, each written exactly (no converter, no other argument).
    static let sampleFetches: Set<String> = [
        "src", "src_port", "dst", "dst_port",
        "ssl_fc", "ssl_fc_sni", "ssl_c_used", "ssl_c_verify", "ssl_c_s_dn", "ssl_c_s_dn(cn)",
        "ssl_c_i_dn", "ssl_c_i_dn(cn)", "ssl_c_sha1", "ssl_c_notbefore", "ssl_c_notafter",
    ]

    static let flagCharacters = ASCIISet("QXE")

    /// True when haproxy reads `format` as text, separators and allowed variables only.
    static func accepts(_ format: String) -> Bool {
        let bytes = Array(format.utf8)
        guard !bytes.isEmpty, bytes.count <= maximumBytes else { return false }
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: " ") || textCharacters.contains(byte) {
                i += 1
                continue
            }
            guard byte == UInt8(ascii: "%") else { return false }
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "{") {
                guard let close = bytes[i...].firstIndex(of: UInt8(ascii: "}")) else { return false }
                let flags = bytes[(i + 1)..<close]
                guard !flags.isEmpty, flags.count % 2 == 0 else { return false }
                for pair in stride(from: flags.startIndex, to: flags.endIndex, by: 2) {
                    guard flags[pair] == UInt8(ascii: "+") || flags[pair] == UInt8(ascii: "-"),
                        flagCharacters.contains(flags[pair + 1])
                    else { return false }
                }
                i = close + 1
            }
            guard i < bytes.count else { return false }
            if bytes[i] == UInt8(ascii: "[") {
                guard let close = bytes[i...].firstIndex(of: UInt8(ascii: "]")) else { return false }
                guard sampleFetches.contains(String(decoding: bytes[(i + 1)..<close], as: UTF8.self)) else { return false }
                i = close + 1
                continue
            }
            // haproxy reads the variable name as the longest run of letters and digits.
            var end = i
            while end < bytes.count, isAlphanumeric(bytes[end]) { end += 1 }
            guard variables.contains(String(decoding: bytes[i..<end], as: UTF8.self)) else { return false }
            i = end
        }
        return true
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}
