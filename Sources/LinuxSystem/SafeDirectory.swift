import CLinuxShim
import Glibc
import Synchronization

/// A directory opened once, inside which files are created, replaced, read and removed by name,
/// relative to its descriptor, never following a symlink (openat2 with RESOLVE_BENEATH and
/// RESOLVE_NO_SYMLINKS, O_NOFOLLOW, O_EXCL temp files).
///
/// Replacing a file is atomic: a temp file in the same directory, write, fsync, rename, fsync the
/// directory. A crash leaves either the old or the new content (on a journalled filesystem; without
/// a journal a rename cut short by a crash is fsck's to repair), plus at most a `.tmp-` file that
/// ``removeStaleTemporaryFiles()`` cleans up.
public final class SafeDirectory: Sendable {
    public let path: String
    /// The directory's descriptor, for `*at` calls relative to it (owned here: never close it).
    public let fd: Int32
    static let counter = Atomic<UInt64>(0)

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }

    /// Opens (creating with `mode`, and any missing parents with 0700, when `create`) an absolute directory path.
    /// The final component must not be a symlink.
    public static func open(_ path: String, create: Bool, mode: mode_t = 0o700) throws(SystemError) -> SafeDirectory {
        if create {
            var prefix = ""
            for component in path.split(separator: "/") {
                prefix += "/" + component
                if mkdir(prefix, prefix == path ? mode : 0o700) != 0, errno != EEXIST {
                    throw SystemError("mkdir", subject: prefix)
                }
            }
        }
        let fd = try retryingSyscall("open", subject: path) { Glibc.open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
        return SafeDirectory(fd: fd, path: path)
    }

    /// A file or directory name: one path component, never `.` or `..`.
    static func checkName(_ name: String) throws(SystemError) {
        guard !name.isEmpty, name != ".", name != "..", !name.contains("/"), !name.utf8.contains(0) else {
            throw SystemError("name", errno: EINVAL, subject: name)
        }
    }

    /// Opens a child directory, creating it (0700 by default) when asked; refuses symlinks. A
    /// directory it makes is durable in this one (fsynced) before it is returned, and removed again
    /// when it cannot be opened.
    public func subdirectory(_ name: String, create: Bool, mode: mode_t = 0o700) throws(SystemError) -> SafeDirectory? {
        try Self.checkName(name)
        var made = false
        if create {
            if mkdirat(fd, name, mode) == 0 {
                made = true
            } else if errno != EEXIST {
                throw SystemError("mkdir", subject: "\(path)/\(name)")
            }
        }
        let child = cshim_open_beneath(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0)
        if child < 0 {
            let error = SystemError("open", subject: "\(path)/\(name)")
            if error.errno == ENOENT, !create { return nil }
            // What this call made, it takes back: no empty directory is left behind a failure
            // (if it cannot be, the error says that something changed).
            var failure = error
            if made, unlinkat(fd, name, AT_REMOVEDIR) != 0 { failure.applied = true }
            throw failure
        }
        let directory = SafeDirectory(fd: child, path: "\(path)/\(name)")
        // A new directory's entry is durable before anything is written in it.
        if made { try syncAfterChange() }
        return directory
    }

    /// Replaces (or creates) `name` atomically with `bytes`, mode `mode`.
    public func writeAtomically(_ name: String, _ bytes: [UInt8], mode: mode_t = 0o600) throws(SystemError) {
        try Self.checkName(name)
        // Unique per process and call; O_EXCL refuses anything already there (a planted symlink included).
        let unique = SafeDirectory.counter.wrappingAdd(1, ordering: .relaxed).oldValue
        let temporary = ".tmp-\(name.prefix(32))-\(getpid())-\(unique)"
        let tfd = try retryingSyscall("create", subject: "\(path)/\(temporary)") {
            cshim_open_beneath(fd, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, UInt32(mode))
        }
        do {
            defer { close(tfd) }
            try retryingSyscall("fchmod", subject: temporary) { fchmod(tfd, mode) }
            try writeAll(tfd, bytes)
            try retryingSyscall("fsync", subject: temporary) { fsync(tfd) }
        } catch {
            unlinkat(fd, temporary, 0)
            throw error
        }
        do {
            try retryingSyscall("rename", subject: "\(path)/\(name)") { renameat(fd, temporary, fd, name) }
        } catch {
            unlinkat(fd, temporary, 0)
            throw error
        }
        try syncAfterChange()
    }

    /// Writes `name` afresh as a candidate for another file (a configuration `haproxy -c` checks
    /// before it replaces the active one): whatever `name` was is removed, the new file is created
    /// exclusively (never through a symlink) with `mode`, and nothing is fsynced: a candidate only
    /// becomes durable when ``promote(_:to:)`` replaces its target with it. A crash before that
    /// leaves at most an incomplete candidate, which nothing reads before writing it again.
    public func writeCandidate(_ name: String, _ bytes: [UInt8], mode: mode_t = 0o600) throws(SystemError) {
        try Self.checkName(name)
        if unlinkat(fd, name, 0) != 0, errno != ENOENT { throw SystemError("unlink", subject: "\(path)/\(name)") }
        let cfd = try retryingSyscall("create", subject: "\(path)/\(name)") {
            cshim_open_beneath(fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, UInt32(mode))
        }
        defer { close(cfd) }
        do {
            try retryingSyscall("fchmod", subject: name) { fchmod(cfd, mode) }
            try writeAll(cfd, bytes)
        } catch {
            unlinkat(fd, name, 0)
            throw error
        }
        // While the check runs: the fsync at its promotion then has only the inode and the flush left.
        _ = cshim_start_writeback(cfd)
    }

    /// Replaces `target` with the candidate `name` (``writeCandidate(_:_:mode:)``) atomically and
    /// durably: fsync the candidate, rename it over `target`, fsync the directory. Anything but a
    /// regular file at `name` (a FIFO would block the open) is refused.
    public func promote(_ name: String, to target: String) throws(SystemError) {
        try Self.checkName(name)
        try Self.checkName(target)
        let cfd = try retryingSyscall("open", subject: "\(path)/\(name)") {
            cshim_open_beneath(fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0)
        }
        do throws(SystemError) {
            var st = stat()
            try retryingSyscall("fstat", subject: "\(path)/\(name)") { fstat(cfd, &st) }
            guard st.st_mode & S_IFMT == S_IFREG else { throw SystemError("promote", errno: EINVAL, subject: "\(path)/\(name)") }
            try retryingSyscall("fsync", subject: "\(path)/\(name)") { fsync(cfd) }
        } catch {
            close(cfd)
            throw error
        }
        close(cfd)
        try rename(name, to: target)
    }

    /// Reads `name` (at most `limit` bytes), or nil if it does not exist. Symlinks are refused, and
    /// so is anything but a regular file (a FIFO or a device would block the read, or never end).
    public func read(_ name: String, limit: Int) throws(SystemError) -> [UInt8]? {
        try Self.checkName(name)
        let rfd = cshim_open_beneath(fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0)
        if rfd < 0 {
            if errno == ENOENT { return nil }
            throw SystemError("open", subject: "\(path)/\(name)")
        }
        defer { close(rfd) }
        var st = stat()
        try retryingSyscall("fstat", subject: "\(path)/\(name)") { fstat(rfd, &st) }
        guard st.st_mode & S_IFMT == S_IFREG else { throw SystemError("read", errno: EINVAL, subject: "\(path)/\(name)") }
        let (bytes, truncated) = try readAll(rfd, limit: limit)
        if truncated { throw SystemError("read", errno: EFBIG, subject: "\(path)/\(name)") }
        return bytes
    }

    /// Whether `name` exists (as anything; symlinks are not followed); an answer other than "no
    /// such entry" (a directory that cannot be searched, a name that is not one component) throws.
    public func contains(_ name: String) throws(SystemError) -> Bool {
        try Self.checkName(name)
        var st = stat()
        if fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 { return true }
        if errno == ENOENT { return false }
        throw SystemError("stat", subject: "\(path)/\(name)")
    }

    /// The type bits (`S_IFREG`, `S_IFDIR`, `S_IFLNK`, ...) of `name`, symlinks not followed; nil
    /// when there is no such entry or it cannot be looked at.
    public func fileType(_ name: String) -> mode_t? {
        guard (try? Self.checkName(name)) != nil else { return nil }
        var st = stat()
        guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return st.st_mode & S_IFMT
    }

    /// True if `name` exists (as anything; symlinks are not followed); false too when that cannot
    /// be told (``contains(_:)`` throws then).
    public func exists(_ name: String) -> Bool {
        (try? contains(name)) ?? false
    }

    /// True if `name` is what ``writeAtomically(_:_:mode:)`` leaves: a regular file with this
    /// process's owner, exactly `mode`, and one link (symlinks are not followed).
    public func isPlainFile(_ name: String, mode: mode_t) -> Bool {
        var st = stat()
        guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return false }
        return st.st_mode & S_IFMT == S_IFREG && st.st_mode & 0o7777 == mode && st.st_uid == geteuid() && st.st_nlink == 1
    }

    /// When `name` was last modified, in nanoseconds since the epoch (symlinks are not followed); nil if it does not exist.
    public func modificationTime(_ name: String) -> Int64? {
        var st = stat()
        guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
    }

    /// Renames `from` to `to` within this directory, then fsyncs it.
    public func rename(_ from: String, to: String) throws(SystemError) {
        try Self.checkName(from)
        try Self.checkName(to)
        try retryingSyscall("rename", subject: "\(path)/\(from)") { renameat(fd, from, fd, to) }
        try syncAfterChange()
    }

    /// Removes the file (or symlink itself) `name`; false if it did not exist.
    @discardableResult
    public func remove(_ name: String) throws(SystemError) -> Bool {
        try Self.checkName(name)
        if unlinkat(fd, name, 0) != 0 {
            if errno == ENOENT { return false }
            throw SystemError("unlink", subject: "\(path)/\(name)")
        }
        try syncAfterChange()
        return true
    }

    /// Removes `name` and, if it is a directory, everything below it, never following symlinks.
    @discardableResult
    public func removeTree(_ name: String) throws(SystemError) -> Bool {
        try Self.checkName(name)
        var st = stat()
        guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else {
            if errno == ENOENT { return false }
            throw SystemError("stat", subject: "\(path)/\(name)")
        }
        if (st.st_mode & S_IFMT) == S_IFDIR, let child = try subdirectory(name, create: false) {
            var removedSome = false
            do throws(SystemError) {
                for entry in try child.entries() {
                    try child.removeTree(entry)
                    removedSome = true
                }
                try retryingSyscall("rmdir", subject: "\(path)/\(name)") { unlinkat(fd, name, AT_REMOVEDIR) }
            } catch {
                // Part of the tree may be gone: the error says that something changed.
                var partial = error
                partial.applied = error.applied || removedSome
                throw partial
            }
        } else {
            try retryingSyscall("unlink", subject: "\(path)/\(name)") { unlinkat(fd, name, 0) }
        }
        try syncAfterChange()
        return true
    }

    /// The names in this directory (without `.` and `..`).
    public func entries() throws(SystemError) -> [String] {
        let dfd = try retryingSyscall("open", subject: path) { openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard let dir = fdopendir(dfd) else {
            close(dfd)
            throw SystemError("fdopendir", subject: path)
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = DirectoryEntryName.of(entry)
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Removes `.tmp-*` files left by a crash mid-write.
    public func removeStaleTemporaryFiles() {
        for name in (try? entries()) ?? [] where name.hasPrefix(".tmp-") { unlinkat(fd, name, 0) }
    }

    /// Removes the `.tmp-*` files left by a crash mid-write here and in the directories up to
    /// `levels` below (a haproxy instance's, `vrrp`, `lvs/check`, a load balancer's certificates);
    /// symlinks are not followed.
    public func removeStaleTemporaryFiles(levelsBelow levels: Int) {
        removeStaleTemporaryFiles()
        guard levels > 0 else { return }
        for name in (try? entries()) ?? [] where !name.hasPrefix(".") {
            (try? subdirectory(name, create: false))??.removeStaleTemporaryFiles(levelsBelow: levels - 1)
        }
    }

    /// Removes only the `.tmp-*` files ``writeAtomically(_:_:mode:)`` leaves for `name` (in a
    /// directory the agent shares with others, such as the configuration file's).
    public func removeStaleTemporaryFiles(of name: String) {
        let prefix = ".tmp-\(name.prefix(32))-"
        for entry in (try? entries()) ?? [] where entry.hasPrefix(prefix) { unlinkat(fd, entry, 0) }
    }

    /// The filesystem type magic (e.g. `TMPFS_MAGIC` 0x01021994).
    public func filesystemMagic() throws(SystemError) -> Int64 {
        let magic = cshim_fs_magic(fd)
        guard magic >= 0 else { throw SystemError("fstatfs", subject: path) }
        return magic
    }

    func sync() throws(SystemError) { try retryingSyscall("fsync", subject: path) { fsync(fd) } }

    /// ``sync()`` after a change readers already see: a failure is marked ``SystemError/applied``.
    func syncAfterChange() throws(SystemError) {
        do {
            try sync()
        } catch {
            var applied = error
            applied.applied = true
            throw applied
        }
    }
}
