import IPCProtocol
import ProgramLauncher
/// How the agent runs and reads `keepalived --config-test`, and what of keepalived's output it passes on.
///
/// Every stored keepalived configuration (VRRP and LVS) starts with ``scriptSecurityHeader``, the
/// agent's own `global_defs` that turns on keepalived's script security: keepalived then refuses any
/// script whose path (or a directory above it) is writable by anyone but root, and `--config-test`
/// has no reason to exit with status 6 ("SECURITY VIOLATION - scripts are being executed but
/// script_security not enabled"). Any non-zero status, 6 included, is a refusal, with one exception:
/// status 5 (keepalived's `KEEPALIVED_EXIT_CONFIG`, "a configuration warning or error was reported")
/// when every line keepalived printed is one of the ``benignWarnings`` that Octavia 19.0.0's own
/// renderings produce with keepalived 2.2.7 (see ``passed(_:)``).
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

    /// Passed: exit status 0, or exit status 5 when keepalived printed at least one line and every
    /// line it printed (stdout and stderr, the output not truncated) is whole-matched by one of
    /// ``benignWarnings``. Status 6 (keepalived's `KEEPALIVED_EXIT_CONFIG_TEST_SECURITY`, a SECURITY
    /// VIOLATION), every other status, a signal, a timeout, and status 5 with any other line are refusals.
    public static func passed(_ result: LaunchResult) -> Bool {
        if result.succeeded { return true }
        guard result.refusal == nil, !result.timedOut, result.signal == nil, result.exitCode == 5, !result.outputTruncated else {
            return false
        }
        let lines = (result.stdout + "\n" + result.stderr).split(whereSeparator: { $0 == "\n" })
            .map { String($0).trimmingASCIIWhitespace() }
            .filter { !$0.isEmpty }
        return !lines.isEmpty && lines.allSatisfy(isBenignWarning)
    }

    /// Whether `line` (one whole output line, surrounding whitespace removed) is one of ``benignWarnings``.
    public static func isBenignWarning(_ line: String) -> Bool {
        benignWarnings.contains { (try? $0.wholeMatch(in: line)) != nil }
    }

    /// The warnings of keepalived 2.2.7's `--config-test` (exit status 5) that Octavia 19.0.0's own
    /// templates produce, each checked to leave a configuration keepalived runs as the amphora
    /// agent upstream runs it (upstream never runs a config test, so these configurations run in
    /// production). Each pattern matches a whole line; only names, addresses and numbers vary, by shape:
    /// - VRRP host routes: Octavia renders `<cidr> dev <if> gateway <nexthop> onlink table 1`, and
    ///   keepalived 2.2.7 knows no `gateway` keyword (it knows `via`): it reports the two lines below
    ///   for the route's line and DROPS THAT ROUTE, keeps the other virtual routes and rules, and runs.
    ///   keepalived leaves the host route out exactly as on an upstream amphora with keepalived 2.2.7;
    ///   there, as here, plugging the VIP already puts the subnet's host routes into table 1 and the
    ///   main table (upstream's interface file, our `NetworkConfigurator`), so nothing is lost.
    /// - IPv6 VIPs: the instance runs VRRP version 3, which has no authentication; keepalived ignores
    ///   the rendered `authentication` block and runs (the VIP, routes and rules are set as MASTER).
    /// - An amphora without peers: keepalived ignores `unicast_src_ip`, sends its adverts by multicast
    ///   and runs (a lone amphora becomes MASTER).
    /// - LVS with a disabled pool: Octavia renders a `virtual_server` without `real_server`s;
    ///   keepalived creates no IPVS service for it (the listener gets no traffic, which is what a
    ///   disabled pool means) and runs.
    /// - The VRRP check script, seen by the check: the check runs as the check account, which cannot
    ///   take `script_user root`'s uid to look at the script, so keepalived reports the script
    ///   insecure there whatever its permissions. The policy lets a configuration name only the
    ///   agent's own script, which the helper writes (0700, root) and whose path it checks as
    ///   keepalived would (``KeepalivedScriptSecurity``) before the check.
    static var benignWarnings: [Regex<Substring>] {
        [
            // "(/var/lib/octavia/vrrp/octavia-keepalived.conf.new: Line 43) ..." (the agent's own file).
            #/\(/[^\s:()]*/octavia-keepalived\.conf(?:\.new)?: Line [0-9]{1,6}\) VRRP parsed invalid IP gateway\. skipping IP\.\.\./#,
            #/\(/[^\s:()]*/octavia-keepalived\.conf(?:\.new)?: Line [0-9]{1,6}\) unknown route keyword gateway/#,
            // "(<vrrp_instance name>) ...".
            #/\([A-Za-z0-9_.-]{1,64}\) VRRP version 3 does not support authentication\. Ignoring\./#,
            #/\([A-Za-z0-9_.-]{1,64}\) A unicast keyword has been specified without any unicast peers\. Defaulting to multicast\. This usage is deprecated - please update your configuration\./#,
            // "Virtual server [ipv4-group]:0 has no real servers - ignoring".
            #/Virtual server \[[A-Za-z0-9_.-]{1,64}\]:[0-9]{1,5} has no real servers - ignoring/#,
            // "Disabling track script check_script due to insecure" (the check account, see above).
            #/Disabling track script [A-Za-z0-9_.-]{1,64} due to insecure/#,
        ]
    }

    /// What the caller learns of a failed test: the status and keepalived's own error lines, filtered
    /// by ``KeepalivedOutputFilter`` against `uploaded` and capped. Never the raw output.
    public static func refusalDetails(_ result: LaunchResult, uploaded: String) -> String {
        if result.refusal != nil { return "keepalived --config-test could not be run" }
        if result.timedOut { return "keepalived --config-test timed out" }
        var head = "keepalived --config-test failed"
        if let code = result.exitCode { head += " (exit status \(code)\(code == 6 ? ": SECURITY VIOLATION" : ""))" }
        if let signal = result.signal { head += " (signal \(signal))" }
        let reference = maskingSecrets(uploaded)
        let lines = KeepalivedOutputFilter.lines(result.stdout + "\n" + result.stderr, reference: reference, lineOffset: headerLines)
        return lines.isEmpty ? head : head + ":\n" + lines.joined(separator: "\n")
    }

    /// `text` with the value of every `auth_pass` replaced, so that no output line echoing the VRRP
    /// secret passes the filter (its words are the reference of what may be repeated).
    static func maskingSecrets(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.first == "auth_pass" else { return String(line) }
            return String(line.prefix(while: { $0 == " " || $0 == "\t" })) + "auth_pass ***"
        }.joined(separator: "\n")
    }
}
