import Glibc
import LinuxSystem

/// The unprivileged account configuration checks run as (`haproxy -c`, `keepalived --config-test`):
/// a system user and group of its own, created by `scripts/install-deps.sh` (and the packaging), that
/// owns nothing. Its group may read each load balancer's certificate directory (haproxy -c loads the
/// certificates a configuration names); nobody else may. The name is fixed, not configurable.
public enum CheckAccount {
    /// The account's user and group name.
    public static let name = "amphora-check"

    /// The account, or a one-line error naming what is missing.
    public static func resolve() throws(LaunchError) -> SystemUser {
        guard let user = SystemUser.lookup(name), user.uid != 0, user.gid != 0 else { throw .checkAccountMissing }
        return user
    }

    /// Whether `account` may pass through every directory above `path` (from `/` down to its parent),
    /// by their owner, group and mode bits: a check runs with its own group only (supplementary
    /// groups cleared), and Landlock does not restrict walking a path. Where a symlink lies on the
    /// way, the directories above its target count too. A directory that cannot be examined counts
    /// as closed; ACLs are not read.
    public static func canPassThrough(parentsOf path: String, account: SystemUser) -> Bool {
        guard directoriesOpen(above: path, to: account) else { return false }
        guard let resolved = realpath(path, nil) else { return false }
        defer { free(resolved) }
        let real = String(cString: resolved)
        return real == path || directoriesOpen(above: real, to: account)
    }

    static func directoriesOpen(above path: String, to account: SystemUser) -> Bool {
        var parent = ""
        for component in path.split(separator: "/").dropLast() {
            parent += "/" + component
            var st = stat()
            guard stat(parent, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else { return false }
            let bit: mode_t = st.st_uid == account.uid ? S_IXUSR : st.st_gid == account.gid ? S_IXGRP : S_IXOTH
            if st.st_mode & bit == 0 { return false }
        }
        var root = stat()
        return stat("/", &root) == 0 && root.st_mode & S_IXOTH != 0
    }
}
