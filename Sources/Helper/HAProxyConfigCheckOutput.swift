/// What the helper passes on of a failed `haproxy -c`: only haproxy's own `[ALERT]` and
/// `[WARNING]` lines, printable ASCII, capped in count and bytes. haproxy's raw output is never
/// returned: it can quote lines of files other than the candidate configuration.
public enum HAProxyConfigCheckOutput {
    /// At most this many lines are passed on.
    public static let maximumLines = 20
    /// At most this many bytes per line.
    public static let maximumLineBytes = 300
    /// At most this many bytes in all.
    public static let maximumBytes = 4096

    /// The error lines of `result`'s output, or a fixed sentence when there are none.
    public static func summary(_ result: LaunchResult) -> String {
        if let refusal = result.refusal { return refusal }
        if result.timedOut { return "haproxy -c timed out" }
        let lines = errorLines(result.stdout + "\n" + result.stderr)
        return lines.isEmpty ? "haproxy -c refused the configuration (exit status \(result.exitCode.map(String.init) ?? "none"))" : lines
    }

    /// haproxy's `[ALERT]`/`[WARNING]` lines of `output`, sanitised and capped.
    public static func errorLines(_ output: String) -> String {
        var kept: [String] = []
        var bytes = 0
        for raw in output.utf8.split(separator: UInt8(ascii: "\n")) {
            let line = String(decoding: raw.prefix(maximumLineBytes).map { $0 >= 0x20 && $0 < 0x7F ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
            guard line.hasPrefix("[ALERT]") || line.hasPrefix("[WARNING]") else { continue }
            guard kept.count < maximumLines, bytes + line.utf8.count + 1 <= maximumBytes else { break }
            kept.append(line)
            bytes += line.utf8.count + 1
        }
        return kept.joined(separator: "\n")
    }
}
