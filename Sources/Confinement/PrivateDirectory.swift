import Glibc

/// Directories only root may enter (the helper's state, the certificate directory, the audit log):
/// created 0700 root:root when missing (missing parents 0755). One that exists must already be a
/// root-owned directory without group or other permissions: it is refused otherwise (not silently
/// changed, since a misconfigured path could name a shared directory such as /var/log).
public enum PrivateDirectory {
    public static func ensure(_ path: String) throws(ConfinementError) {
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
        guard st.st_mode & S_IFMT == S_IFDIR, st.st_uid == 0, st.st_mode & 0o077 == 0 else {
            let mode = String(st.st_mode & 0o7777, radix: 8)
            throw ConfinementError("\(path) must be a directory owned by root with mode 0700 (it has uid \(st.st_uid), mode \(mode))")
        }
    }
}
