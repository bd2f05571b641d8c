import Glibc

/// Directories only root may enter (the helper's state, the certificate directory, the audit log):
/// created 0700 root:root when missing (missing parents 0755). One that exists must already be a
/// root-owned directory without group or other permissions: it is refused otherwise (not silently
/// changed, since a misconfigured path could name a shared directory such as /var/log).
///
/// With `traverseGroup`, the group may pass through (not list): the directory is 0710 root:GROUP.
/// An existing one may then be 0700 (any group) or already 0710 with that group, and is set to
/// 0710 root:GROUP (the configuration-check account reaches the certificates this way).
public enum PrivateDirectory {
    public static func ensure(_ path: String, traverseGroup: UInt32? = nil) throws(ConfinementError) {
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
        let groupBits = st.st_mode & 0o077
        let allowed = groupBits == 0 || (traverseGroup != nil && groupBits == 0o010 && st.st_gid == traverseGroup)
        guard st.st_mode & S_IFMT == S_IFDIR, st.st_uid == 0, allowed else {
            let mode = String(st.st_mode & 0o7777, radix: 8)
            let wanted = traverseGroup == nil ? "0700" : "0700 or 0710"
            throw ConfinementError("\(path) must be a directory owned by root with mode \(wanted) (it has uid \(st.st_uid), mode \(mode))")
        }
        if let group = traverseGroup, st.st_gid != group || st.st_mode & 0o7777 != 0o710 {
            guard fchown(fd, 0, group) == 0, fchmod(fd, 0o710) == 0 else {
                throw ConfinementError("cannot open \(path) to the check group: \(String(cString: strerror(errno)))")
            }
        }
    }
}
