import Foundation
import Glibc
import Testing

@testable import LinuxSystem

/// What ``SafeDirectory`` reads and reports by name when someone planted something there: symlinks
/// are never followed, and a read takes only a regular file (a FIFO would block it for ever).
@Suite("Safe directory: reads and look-ups")
struct SafeDirectoryTests {
    /// A fresh directory holding a regular file `file`, a FIFO `fifo`, a directory `dir`, a symlink
    /// `link` to `file` and a dangling symlink `dangling`.
    func withPlantedDirectory(_ body: (SafeDirectory, String) throws -> Void) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("safe-dir-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path + "/dir", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(FileManager.default.createFile(atPath: path + "/file", contents: Data("text".utf8)))
        #expect(mkfifo(path + "/fifo", 0o600) == 0)
        #expect(symlink(path + "/file", path + "/link") == 0)
        #expect(symlink(path + "/nowhere", path + "/dangling") == 0)
        try body(try SafeDirectory.open(path, create: false), path)
    }

    /// The errno of the ``SystemError`` `body` throws; nil when it throws nothing.
    func errnoOf(_ body: () throws -> Void) -> Int32? {
        do { try body() } catch { return (error as? SystemError)?.errno ?? -1 }
        return nil
    }

    @Test("read: a regular file's bytes, nil when absent; a FIFO, a directory and symlinks are refused at once",
        .timeLimit(.minutes(1)))
    func readTakesOnlyRegularFiles() throws {
        try withPlantedDirectory { (directory: SafeDirectory, _: String) throws in
            #expect(try directory.read("file", limit: 100) == Array("text".utf8))
            #expect(try directory.read("absent", limit: 100) == nil)
            #expect(errnoOf { _ = try directory.read("fifo", limit: 100) } == EINVAL)
            #expect(errnoOf { _ = try directory.read("dir", limit: 100) } == EINVAL)
            #expect(errnoOf { _ = try directory.read("link", limit: 100) } == ELOOP)
            #expect(errnoOf { _ = try directory.read("dangling", limit: 100) } == ELOOP)
            #expect(errnoOf { _ = try directory.read("../file", limit: 100) } == EINVAL)
        }
    }

    @Test("contains: anything by that name, symlinks not followed; false only for no such entry, else it throws; names are one component")
    func containsAnswersOrThrows() throws {
        try withPlantedDirectory { (directory: SafeDirectory, _: String) throws in
            for name in ["file", "fifo", "dir", "link", "dangling"] {
                #expect(try directory.contains(name), "\(name)")
            }
            #expect(try !directory.contains("absent"))
            // An entry that cannot be examined is not "absent" (root searches any directory: too long a name instead).
            #expect(errnoOf { _ = try directory.contains(String(repeating: "n", count: 300)) } == ENAMETOOLONG)
            #expect(errnoOf { _ = try directory.contains("dir/x") } == EINVAL)
            #expect(errnoOf { _ = try directory.contains("..") } == EINVAL)
        }
    }

    @Test("writeAtomically: a rename that fails (a directory by that name) throws, leaves no temporary file")
    func failedRenameCleansUp() throws {
        try withPlantedDirectory { (directory: SafeDirectory, path: String) throws in
            #expect(errnoOf { try directory.writeAtomically("dir", Array("x".utf8)) } == EISDIR)
            #expect(try FileManager.default.contentsOfDirectory(atPath: path).allSatisfy { !$0.hasPrefix(".tmp-") })
        }
    }

    @Test("subdirectory: made and opened; what it did not make (a file, a FIFO, a symlink by that name) it refuses and leaves as it was")
    func subdirectoryMakesOnlyItsOwn() throws {
        try withPlantedDirectory { (directory: SafeDirectory, path: String) throws in
            let made = try #require(try directory.subdirectory("new", create: true, mode: 0o700))
            #expect(made.path == path + "/new")
            var st = stat()
            #expect(lstat(path + "/new", &st) == 0 && st.st_mode & S_IFMT == S_IFDIR && st.st_mode & 0o7777 == 0o700)
            // An existing directory is opened, not made again.
            #expect(try directory.subdirectory("dir", create: true) != nil)
            // A symlink is refused as a loop or as not a directory, depending on how it is resolved.
            for (name, expected) in [("file", [ENOTDIR]), ("fifo", [ENOTDIR]), ("link", [ELOOP, ENOTDIR]), ("dangling", [ELOOP, ENOTDIR])] {
                let found = errnoOf { _ = try directory.subdirectory(name, create: true) }
                #expect(found.map(expected.contains) == true, "\(name): \(String(describing: found))")
                #expect(lstat(path + "/" + name, &st) == 0, "\(name) was removed")
            }
            #expect(errnoOf { try directory.syncAfterChange() } == nil)
        }
    }
}
