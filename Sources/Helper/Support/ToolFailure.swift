import IPCProtocol
import ProgramLauncher

/// What the front learns of a failed `ip`, `nft` or `systemctl`: never the raw output, only how the
/// tool ended and its own error lines (iproute2's `Error: …`, `RTNETLINK answers: …` and `Cannot …`,
/// nftables' `…: Error: …`, systemctl's `Failed to …`, `Job for …`, `A dependency job for …` and
/// `<unit> is not active, cannot reload.`, which the reload race's retry looks for), made printable
/// and capped. The audit record holds the exit status and the digest of the output.
enum ToolFailure {
    /// At most this many lines, of at most this many bytes each.
    static let maximumLines = 3
    static let maximumLineBytes = 300

    /// The refusal, or how `result` ended followed by its error lines.
    static func summary(_ result: LaunchResult, tool: String) -> String {
        if let refusal = result.refusal { return refusal }
        if result.timedOut { return "\(tool) timed out" }
        let end = result.signal.map { "\(tool) was killed by signal \($0)" } ?? "\(tool) exited with status \(result.exitCode.map(String.init) ?? "none")"
        let lines = errorLines(result.stderr + "\n" + result.stdout)
        return lines.isEmpty ? end : end + ": " + lines.joined(separator: "; ")
    }

    /// The tool's own error lines in `output`, printable ASCII, capped.
    static func errorLines(_ output: String) -> [String] {
        var kept: [String] = []
        for raw in output.utf8.split(separator: UInt8(ascii: "\n")) where kept.count < maximumLines {
            let line = String(printableASCII: raw, limit: maximumLineBytes).trimmingASCIIWhitespace()
            if isErrorLine(line) { kept.append(line) }
        }
        return kept
    }

    static func isErrorLine(_ line: String) -> Bool {
        line.hasPrefix("Error: ") || line.hasPrefix("RTNETLINK answers: ") || line.hasPrefix("Cannot ") || line.contains(": Error: ")
            || line.hasPrefix("Failed to ") || line.hasPrefix("Job for ") || line.hasPrefix("A dependency job for ")
            || line.hasSuffix(" is not active, cannot reload.")
    }
}
