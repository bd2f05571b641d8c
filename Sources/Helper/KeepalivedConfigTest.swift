/// How the agent runs and reads `keepalived --config-test`, and what of keepalived's output it passes on.
///
/// Every stored keepalived configuration (VRRP and LVS) starts with ``scriptSecurityHeader``, the
/// agent's own `global_defs` that turns on keepalived's script security: keepalived then refuses any
/// script whose path (or a directory above it) is writable by anyone but root, and `--config-test`
/// has no reason to exit with status 6 ("SECURITY VIOLATION - scripts are being executed but
/// script_security not enabled"). Any non-zero status, 6 included, is a refusal.
public enum KeepalivedConfigTest {
    /// The agent's `global_defs`, put in front of every configuration it stores (not part of the
    /// uploaded text: the MD5 and GET answers are those of the upload).
    public static let scriptSecurityHeader = """
        # Added by the amphora agent: keepalived checks that no script path is writable by others.
        global_defs {
            enable_script_security
            script_user root
        }

        """
    /// Lines the header adds in front of the uploaded text (keepalived's line numbers count them).
    public static let headerLines = scriptSecurityHeader.utf8.filter { $0 == UInt8(ascii: "\n") }.count

    /// The text to store for an uploaded configuration.
    public static func stored(_ uploaded: String) -> String { scriptSecurityHeader + uploaded }

    /// The uploaded text of a stored configuration (files stored before the header existed are returned as they are).
    public static func uploaded(_ stored: String) -> String {
        stored.hasPrefix(scriptSecurityHeader) ? String(stored.dropFirst(scriptSecurityHeader.count)) : stored
    }

    /// Passed: exit status 0. Status 6 (keepalived's `KEEPALIVED_EXIT_CONFIG_TEST_SECURITY`, a
    /// SECURITY VIOLATION) and every other failure are refusals.
    public static func passed(_ result: LaunchResult) -> Bool { result.succeeded }

    /// What the caller learns of a failed test: the status and keepalived's own error lines, filtered
    /// by ``KeepalivedOutputFilter`` against `uploaded` and capped. Never the raw output.
    public static func refusalDetails(_ result: LaunchResult, uploaded: String) -> String {
        if result.refusal != nil { return "keepalived --config-test could not be run" }
        if result.timedOut { return "keepalived --config-test timed out" }
        var head = "keepalived --config-test failed"
        if let code = result.exitCode { head += " (exit status \(code)\(code == 6 ? ": SECURITY VIOLATION" : ""))" }
        if let signal = result.signal { head += " (signal \(signal))" }
        let lines = KeepalivedOutputFilter.lines(result.stdout + "\n" + result.stderr, reference: uploaded, lineOffset: headerLines)
        return lines.isEmpty ? head : head + ":\n" + lines.joined(separator: "\n")
    }
}
