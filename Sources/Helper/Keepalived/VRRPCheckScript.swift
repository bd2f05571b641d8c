import Glibc

/// The agent's VRRP health check, `<base_path>/vrrp/check_script.sh`: a fixed wrapper that runs
/// `amphora-helper vrrp-check`, and the check keepalived makes of its path before it runs it.
///
/// keepalived runs the script as root with script security on, and disables it (the amphora then
/// fails over on nothing but VRRP itself) when the file or a directory above it could be changed by
/// anyone but root. Its `--config-test` runs as the check account, which cannot take root's uid to
/// look, and reports the script insecure whatever its path (a benign warning, see
/// ``KeepalivedConfigTest``): so the helper, as root, checks the path the way keepalived does
/// (`check_security` in keepalived's lib/notify.c) before every check of a VRRP configuration.
enum VRRPCheckScript {
    /// The wrapper's text.
    static func text(helperExecutable: String, basePath: String) -> String {
        "#!/bin/sh\n# The agent's VRRP health check: every haproxy instance must answer on its stats socket.\n"
            + "exec \(shellQuoted(helperExecutable)) vrrp-check --base-path \(shellQuoted(basePath))\n"
    }

    static func shellQuoted(_ value: String) -> String { "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Why keepalived, as root, would not run the script at `path`; nil when it would. Every
    /// component from `/` down must be root's and not a symlink; a directory without the sticky bit
    /// and the file itself must not be writable by a group other than root's nor by others; the
    /// file must be a regular file root may execute.
    static func unsafety(ofPath path: String) -> String? {
        guard path.hasPrefix("/") else { return "\(path) is not an absolute path" }
        let components = path.split(separator: "/").map(String.init)
        var prefix = ""
        for (index, component) in ([""] + components).enumerated() {
            prefix = index == 0 ? "/" : (prefix == "/" ? "" : prefix) + "/" + component
            var status = stat()
            guard fstatat(AT_FDCWD, prefix, &status, AT_SYMLINK_NOFOLLOW) == 0 else {
                return "\(prefix): \(String(cString: strerror(errno)))"
            }
            let last = index == components.count
            let type = status.st_mode & S_IFMT
            guard last ? type == S_IFREG : type == S_IFDIR else {
                return "\(prefix) is not a \(last ? "regular file" : "directory")"
            }
            guard status.st_uid == 0 else { return "\(prefix) is not root's" }
            let sticky = !last && status.st_mode & S_ISVTX != 0
            if !sticky, (status.st_gid != 0 && status.st_mode & S_IWGRP != 0) || status.st_mode & S_IWOTH != 0 {
                return "\(prefix) is writable by others than root"
            }
            if last, status.st_mode & S_IXUSR == 0 { return "\(prefix) is not executable" }
        }
        return nil
    }
}
