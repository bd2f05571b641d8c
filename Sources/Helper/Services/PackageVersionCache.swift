import Glibc
import IPCProtocol
import LinuxSystem
import Logging
import ProgramLauncher

/// Package versions for `/info` and `/details`, asked of `dpkg-query` only when the package database
/// changed: the answers are kept in `<base_path>/package-versions.json` (0600, atomic) together with
/// a stamp of `/var/lib/dpkg/status` (inode, size, mtime), which every install or upgrade rewrites.
/// A helper restart with an unchanged stamp starts no process at all.
enum PackageVersionCache {
    static let fileName = "package-versions.json"

    struct Stored: Codable, Equatable {
        var stamp: String
        var haproxy: String?
        var keepalived: String?
        var ipvsadm: String?
    }

    /// The identity of the package database, or "" when there is none (then nothing is cached).
    static func stamp(of path: String) -> String {
        var st = stat()
        guard stat(path, &st) == 0 else { return "" }
        return "\(st.st_ino)-\(st.st_size)-\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
    }

    /// The cached versions when the stamp matches; otherwise asks dpkg-query (at start, through the
    /// audited launcher) and stores the answers.
    static func info(
        amphoraID: ResourceID, base: SafeDirectory, runner: any CommandRunning, context: AuditContext, logger: Logger,
        databasePath: String = "/var/lib/dpkg/status"
    ) -> AmphoraInfo {
        let current = stamp(of: databasePath)
        if !current.isEmpty, let bytes = try? base.read(fileName, limit: 64 * 1024),
            let stored = try? StrictJSON.decode(Stored.self, from: bytes), stored.stamp == current
        {
            logger.info("package versions from the on-disk cache", metadata: ["file": "\(base.path)/\(fileName)"])
            return AmphoraInfo(
                hostname: hostName(), amphoraID: amphoraID, haproxyVersion: stored.haproxy,
                keepalivedVersion: stored.keepalived, ipvsadmVersion: stored.ipvsadm)
        }
        let info = HelperMain.gatherInfo(amphoraID: amphoraID, runner: runner, context: context, logger: logger)
        if !current.isEmpty {
            let stored = Stored(stamp: current, haproxy: info.haproxyVersion, keepalived: info.keepalivedVersion, ipvsadm: info.ipvsadmVersion)
            do {
                try AuditedDirectory(directory: base, context: context).write(fileName, try StrictJSON.encode(stored), mode: 0o600)
            } catch {
                logger.warning("cannot store the package version cache", metadata: ["error": "\(error)"])
            }
        }
        return info
    }
}
