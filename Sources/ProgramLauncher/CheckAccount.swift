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
}
