/// The agent's VRRP health check, `<base_path>/vrrp/check_script.sh`: a fixed wrapper that runs
/// `amphora-helper vrrp-check`.
///
/// keepalived runs the script as root with script security on, and disables it (the amphora then
/// fails over on nothing but VRRP itself) when the file or a directory above it could be changed by
/// anyone but root. Its `--config-test` runs as the check account, which cannot take root's uid to
/// look, and reports the script insecure whatever its path (a benign warning, see
/// ``KeepalivedConfigTest``): so the helper, as root, checks the path (``KeepalivedScriptSecurity``)
/// before every check of a VRRP configuration.
enum VRRPCheckScript {
    /// The wrapper's text.
    static func text(helperExecutable: String, basePath: String) -> String {
        "#!/bin/sh\n# The agent's VRRP health check: every haproxy instance must answer on its stats socket.\n"
            + "exec \(shellQuoted(helperExecutable)) vrrp-check --base-path \(shellQuoted(basePath))\n"
    }

    static func shellQuoted(_ value: String) -> String { "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
