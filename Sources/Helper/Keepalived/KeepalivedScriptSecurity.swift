import Glibc

/// keepalived's script security, as the helper checks it for the agent's own scripts (the VRRP
/// check, the UDP health check): keepalived runs a script as root only when nobody but root could
/// change it or a directory above it (`check_security` in keepalived's lib/notify.c), and otherwise
/// disables it. The configuration check runs unprivileged and cannot tell, so the helper, as root,
/// looks before every check of a configuration that names such a script. Stricter than keepalived
/// in one way: no step of the path may be a symlink.
enum KeepalivedScriptSecurity {
    /// Why keepalived, as root, would not run the script at `path`; nil when it would. Every
    /// component from `/` down must be root's and not a symlink; a directory without the sticky bit
    /// and the file itself must not be writable by a group other than root's nor by others; the
    /// file must be a regular file root may execute.
    static func problem(atPath path: String) -> String? {
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
