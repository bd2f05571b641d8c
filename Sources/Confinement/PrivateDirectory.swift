import Glibc

/// Directories only root may enter (the helper's state, the certificate directory, the audit log):
/// created 0700 root:root when missing (missing parents 0755). One that exists must be a root-owned
/// directory: when it is merely too open (upstream images create /var/lib/octavia with `mkdir -p`,
/// 0755, and systemd creates a mount point's parents 0755) its group and other permissions are
/// removed, and the returned warning says so once. A directory owned by anyone else, or anything
/// that is not a directory, is refused (never changed: a misconfigured path could name a shared
/// directory such as /var/log, or one a user controls).
///
/// With `traverseGroup`, the group may pass through (not list): the directory becomes 0710
/// root:GROUP (the configuration-check account reaches the certificates this way).
public enum PrivateDirectory {
    /// Makes sure `path` is a root-only directory (0700, or 0710 root:`traverseGroup`); returns a
    /// warning when it had to take permissions away.
    @discardableResult
    public static func ensure(_ path: String, traverseGroup: UInt32? = nil) throws(ConfinementError) -> String? {
        guard path.hasPrefix("/") else { throw ConfinementError("\(path): not an absolute path") }
        var prefix = ""
        let components = path.split(separator: "/")
        for (index, component) in components.enumerated() {
            prefix += "/" + component
            let last = index == components.count - 1
            if mkdir(prefix, last ? 0o700 : 0o755) != 0, errno != EEXIST {
                throw ConfinementError("mkdir \(prefix): \(String(cString: strerror(errno)))")
            }
        }
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw ConfinementError("open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw ConfinementError("stat \(path): \(String(cString: strerror(errno)))") }
        let mode = String(st.st_mode & 0o7777, radix: 8)
        guard st.st_mode & S_IFMT == S_IFDIR, st.st_uid == 0 else {
            let wanted = traverseGroup == nil ? "0700" : "0700 or 0710"
            throw ConfinementError("\(path) must be a directory owned by root with mode \(wanted) (it has uid \(st.st_uid), mode \(mode))")
        }
        let permitted: mode_t = traverseGroup == nil ? 0o7700 : 0o7710
        let tooOpen = st.st_mode & 0o7777 & ~permitted != 0
        if let group = traverseGroup {
            // Through the descriptor already checked: a rename between stat and chmod cannot redirect it.
            if st.st_gid != group || st.st_mode & 0o7777 != 0o710 {
                guard fchown(fd, 0, group) == 0, fchmod(fd, 0o710) == 0 else {
                    throw ConfinementError("cannot open \(path) to the check group: \(String(cString: strerror(errno)))")
                }
            }
            return tooOpen ? "\(path) had mode \(mode); set to 0710 (root, and the check group may pass through)" : nil
        }
        guard tooOpen else { return nil }
        guard fchmod(fd, st.st_mode & 0o7700) == 0 else {
            throw ConfinementError("chmod \(path): \(String(cString: strerror(errno)))")
        }
        return "\(path) had mode \(mode); group and other permissions removed (root only)"
    }
}
