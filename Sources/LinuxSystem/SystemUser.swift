import Glibc

/// A local account, resolved once at start.
public struct SystemUser: Sendable {
    public let name: String
    public let uid: UInt32
    public let gid: UInt32

    /// The account `name` from the user database, or nil when there is none.
    public static func lookup(_ name: String) -> SystemUser? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return SystemUser(name: name, uid: entry.pw_uid, gid: entry.pw_gid)
    }
}
