import Foundation
import LinuxSystem
import Testing

@testable import Helper

/// The candidate → check → promote (or keep `.new-failed`) lifecycle, on a real directory.
@Suite("candidate file")
struct CandidateFileTests {
    /// A fresh directory under the test's temporary directory, removed by `body`'s caller.
    func withDirectory(_ body: (SafeDirectory, String) throws -> Void) throws {
        try withTemporaryDirectory("amp-candidate") { path in try body(try SafeDirectory.open(path, create: false), path) }
    }

    /// `name` active with "old", and a candidate for it written with `candidate`.
    func candidate(_ directory: SafeDirectory, _ name: String, writing candidate: String) throws -> CandidateFile {
        try directory.writeAtomically(name, Array("old".utf8))
        let file = CandidateFile(directory: directory, name: name, context: .forTests())
        try file.write(Array(candidate.utf8))
        return file
    }

    /// A file `outside` in the directory, "outside", for planted links to point at; its path.
    func outsideFile(_ path: String) throws -> String {
        try "outside".write(toFile: path + "/outside", atomically: false, encoding: .utf8)
        return path + "/outside"
    }

    func text(_ directory: SafeDirectory, _ name: String) throws -> String? {
        try directory.read(name).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test("write leaves the active file alone; promote replaces it")
    func promote() throws {
        try withDirectory { directory, _ in
            let file = try candidate(directory, "haproxy.cfg", writing: "new")
            #expect(try text(directory, "haproxy.cfg") == "old")
            #expect(try text(directory, "haproxy.cfg.new") == "new")
            try file.promote()
            #expect(try text(directory, "haproxy.cfg") == "new")
            #expect(!directory.exists("haproxy.cfg.new"))
        }
    }

    @Test("a refused candidate is kept as .new-failed and the active file stays")
    func keepFailed() throws {
        try withDirectory { directory, _ in
            let file = try candidate(directory, "a.conf", writing: "bad")
            file.keepFailed()
            #expect(try text(directory, "a.conf") == "old")
            #expect(try text(directory, "a.conf.new-failed") == "bad")
            #expect(!directory.exists("a.conf.new"))
        }
    }

    @Test("promote clears an earlier .new-failed only when asked; removeAll removes all three")
    func clearingAndRemoval() throws {
        try withDirectory { directory, _ in
            let file = CandidateFile(directory: directory, name: "a.conf", context: .forTests())
            try file.write(Array("bad".utf8))
            file.keepFailed()
            try file.write(Array("good".utf8))
            try file.promote()
            #expect(directory.exists("a.conf.new-failed"))
            try file.write(Array("better".utf8))
            try file.promote(clearingFailed: true)
            #expect(!directory.exists("a.conf.new-failed"))
            try file.write(Array("next".utf8))
            #expect(try file.removeAll())
            #expect(!directory.exists("a.conf") && !directory.exists("a.conf.new") && !directory.exists("a.conf.new-failed"))
            #expect(try !file.removeAll())
        }
    }

    @Test("a candidate replaces what its name held (a crash's leftover; a planted symlink is removed, never followed)")
    func writeAfresh() throws {
        try withDirectory { directory, path in
            let outside = try outsideFile(path)
            #expect(symlink(outside, path + "/a.conf.new") == 0)
            let file = try candidate(directory, "a.conf", writing: "new")
            #expect(try text(directory, "a.conf.new") == "new")
            #expect(try String(contentsOfFile: outside, encoding: .utf8) == "outside")
            try file.write(Array("newer".utf8))
            #expect(try text(directory, "a.conf.new") == "newer")
            try file.promote()
            #expect(try text(directory, "a.conf") == "newer")
        }
    }

    @Test("promote refuses a candidate that is not the file written (a symlink put in its place); the active file stays")
    func promoteRefusesASymlink() throws {
        try withDirectory { directory, path in
            let outside = try outsideFile(path)
            let file = try candidate(directory, "a.conf", writing: "new")
            #expect(unlink(path + "/a.conf.new") == 0)
            #expect(symlink(outside, path + "/a.conf.new") == 0)
            #expect(throws: FileChangeError.self) { try file.promote() }
            #expect(try text(directory, "a.conf") == "old")
        }
    }

    @Test("a leftover candidate hard-linked to another file is replaced, its other name untouched; promote refuses a FIFO at once")
    func leftoversAndOddFiles() throws {
        try withDirectory { directory, path in
            let outside = try outsideFile(path)
            #expect(link(outside, path + "/a.conf.new") == 0)
            let file = try candidate(directory, "a.conf", writing: "new")
            #expect(try String(contentsOfFile: outside, encoding: .utf8) == "outside")
            #expect(try text(directory, "a.conf.new") == "new")
            #expect(unlink(path + "/a.conf.new") == 0)
            #expect(mkfifo(path + "/a.conf.new", 0o600) == 0)
            #expect(throws: FileChangeError.self) { try file.promote() }
            #expect(try text(directory, "a.conf") == "old")
        }
    }

    @Test("the candidate is written with the mode asked for")
    func mode() throws {
        try withDirectory { directory, path in
            try CandidateFile(directory: directory, name: "k.conf", context: .forTests()).write(Array("x".utf8), mode: 0o600)
            let attributes = try FileManager.default.attributesOfItem(atPath: path + "/k.conf.new")
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
        }
    }
}
