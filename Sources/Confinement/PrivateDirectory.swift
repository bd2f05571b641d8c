import Glibc

/// Directories only root may enter (the helper's state, the certificate directory, the audit log):
/// created 0700 root:root when missing (missing parents 0755). One that exists must be a root-owned
/// directory: when it is merely too open (upstream images create /var/lib/octavia with `mkdir -p`,
/// 0755, and systemd creates a mount point's parents 0755) its group and other permissions are
/// removed, and the returned warning says so once. A directory owned by anyone else, or anything
/// that is not a directory, is refused (never changed: a misconfigured path could name a shared
/// directory such as /var/log, or one a user controls).
public enum PrivateDirectory {
    /// Makes sure `path` is a root-only directory; returns a warning when it had to tighten its mode.
    @discardableResult
    public static func ensure(_ path: String) throws(ConfinementError) -> String? {
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
            throw ConfinementError("\(path) must be a directory owned by root with mode 0700 (it has uid \(st.st_uid), mode \(mode))")
        }
        guard st.st_mode & 0o077 != 0 else { return nil }
        // Through the descriptor already checked: a rename between stat and chmod cannot redirect it.
        guard fchmod(fd, st.st_mode & 0o7700) == 0 else {
            throw ConfinementError("chmod \(path): \(String(cString: strerror(errno)))")
        }
        return "\(path) had mode \(mode); group and other permissions removed (root only)"
    }
}
