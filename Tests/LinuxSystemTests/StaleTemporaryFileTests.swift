import Foundation
import Testing

@testable import LinuxSystem

/// The `.tmp-` files a writer killed between create and rename leaves behind are removed at the
/// helper's start: in the state directory and two levels below (instance, vrrp, lvs/check,
/// certificate directories), and in a shared directory only those of the named file.
@Suite("Stale temp files")
struct StaleTemporaryFileTests {
    static func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stale-tmp-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path + "/instance/deeper/deepest", withIntermediateDirectories: true)
        return path
    }

    static func touch(_ path: String) { _ = FileManager.default.createFile(atPath: path, contents: Data("partial".utf8)) }

    @Test("here and two levels below: every .tmp- file goes; other files, dot files and deeper levels stay")
    func hereAndBelow() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for name in [".tmp-a-1-1", "a", ".hidden", "instance/.tmp-haproxy.cfg-7-3", "instance/haproxy.cfg", "instance/deeper/.tmp-x-1-1", "instance/deeper/deepest/.tmp-y-1-1"] {
            Self.touch(root + "/" + name)
        }
        // A symlink to a directory is not followed.
        let outside = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: outside) }
        Self.touch(outside + "/.tmp-outside-1-1")
        try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: outside)

        try SafeDirectory.open(root, create: false).removeStaleTemporaryFiles(levelsBelow: 2)
        let left = (FileManager.default.enumerator(atPath: root)?.allObjects.compactMap { $0 as? String } ?? []).sorted()
        #expect(left == [
            ".hidden", "a", "instance", "instance/deeper", "instance/deeper/deepest", "instance/deeper/deepest/.tmp-y-1-1", "instance/haproxy.cfg",
            "link",
        ])
        #expect(FileManager.default.fileExists(atPath: outside + "/.tmp-outside-1-1"))
    }

    @Test("of one name: only that file's temp files go")
    func ofOneName() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for name in [".tmp-amphora-agent.conf-9-2", ".tmp-other.conf-9-3", "amphora-agent.conf"] { Self.touch(root + "/" + name) }
        try SafeDirectory.open(root, create: false).removeStaleTemporaryFiles(of: "amphora-agent.conf")
        let left = try FileManager.default.contentsOfDirectory(atPath: root).sorted()
        #expect(left == [".tmp-other.conf-9-3", "amphora-agent.conf", "instance"])
    }
}
