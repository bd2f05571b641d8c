import CLinuxShim
import Glibc
import IPCProtocol
import LinuxSystem

/// Lets the check account's group read one load balancer's certificate directory (haproxy -c
/// loads the certificates and CA files its configuration names): the directory becomes 0750 and
/// its regular files 0640, owner root, group ``CheckAccount``. Applied by the helper right before
/// each haproxy check, so whatever wrote the files, the check can read them; nobody else can (the
/// front's user is not in the group, and the check reads through a read-only Landlock domain).
/// Symlinks and non-root-owned entries are left alone (the check then cannot read them).
public struct CertificateSharing: Sendable {
    public let baseCertDir: String
    public let gid: UInt32

    public init(baseCertDir: String, gid: UInt32) {
        self.baseCertDir = baseCertDir
        self.gid = gid
    }

    /// Shares `instance`'s certificate directory with the check group; a missing one is fine.
    public func shareWithCheck(_ instance: ResourceID) throws(LaunchError) {
        let base: SafeDirectory
        do {
            base = try SafeDirectory.open(baseCertDir, create: false)
        } catch {
            return
        }
        let directory: SafeDirectory
        do {
            guard let found = try base.subdirectory(instance.description, create: false) else { return }
            directory = found
        } catch {
            throw .certificateDirectoryUnavailable(details: "\(error)")
        }
        guard Self.shareDescriptor(directory.fd, mode: 0o750, gid: gid, directory: true) else {
            throw .certificatesNotShared(reason: String(cString: strerror(errno)))
        }
        for name in (try? directory.entries()) ?? [] {
            let fd = cshim_open_beneath(directory.fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            _ = Self.shareDescriptor(fd, mode: 0o640, gid: gid, directory: false)
        }
    }

    /// fchown/fchmod of a root-owned directory or regular file; false (errno set) on failure, true
    /// when it is of another kind or owner (left alone).
    static func shareDescriptor(_ fd: Int32, mode: mode_t, gid: UInt32, directory: Bool) -> Bool {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return false }
        let kind = st.st_mode & S_IFMT
        guard st.st_uid == 0, kind == (directory ? S_IFDIR : S_IFREG) else { return true }
        if st.st_gid != gid, fchown(fd, 0, gid) != 0 { return false }
        if st.st_mode & 0o7777 != mode, fchmod(fd, mode) != 0 { return false }
        return true
    }
}
