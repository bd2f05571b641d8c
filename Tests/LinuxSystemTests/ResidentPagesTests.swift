import Glibc
import Testing

@testable import LinuxSystem

/// `ResidentPages` reads this process's own mappings and pages out only the named libraries' ones.
@Suite("Resident pages of shared libraries")
struct ResidentPagesTests {
    @Test("a maps line is read as start, end and file name; anonymous mappings have none")
    func mappingLines() throws {
        let file = try #require(ResidentPages.Mapping(Array("7f0a1000-7f0a3000 r-xp 00000000 08:01 1234      /usr/lib/x86_64-linux-gnu/libcrypto.so.3".utf8)[...]))
        #expect(file.start == 0x7f0a_1000 && file.end == 0x7f0a_3000)
        #expect(file.fileName == "libcrypto.so.3")
        let anonymous = try #require(ResidentPages.Mapping(Array("7f0a3000-7f0a4000 rw-p 00000000 00:00 0 ".utf8)[...]))
        #expect(anonymous.fileName == "")
        #expect(ResidentPages.Mapping(Array("garbage".utf8)[...]) == nil)
    }

    @Test("paging out a library this process maps advises its mappings and leaves it working")
    func pagesOutAndKeepsWorking() {
        // libc is mapped by every process; touched again right after, it still works.
        let advised = ResidentPages.pageOut(librariesNamed: ["libc.so"])
        #expect(advised > 0)
        #expect(strlen("still here") == 10)
        #expect(ResidentPages.pageOut(librariesNamed: ["no-such-library.so"]) == 0)
    }

    @Test("unmapping the start's code keeps every written page and the process working")
    func unmapsStartCodeAndKeepsData() throws {
        // Written data (a heap array, a global, relocated data behind every Swift type and string)
        // lives in writable segments, which are left alone; code and constants come back on touch.
        ResidentPagesTests.written = (0..<4096).map { $0 &* 31 }
        let heap = Array(repeating: UInt8(7), count: 1 << 20)
        let before = try Self.residentKilobytes()
        let advised = ResidentPages.unmapCode()
        let after = try Self.residentKilobytes()
        #expect(advised > 0)
        #expect(after < before, "the test runner's code, touched by its start, is no longer resident")
        #expect(ResidentPagesTests.written.count == 4096 && ResidentPagesTests.written[4095] == 4095 &* 31)
        #expect(heap.allSatisfy { $0 == 7 })
        #expect(String(describing: ResidentPagesTests.self) == "ResidentPagesTests")
    }

    nonisolated(unsafe) static var written: [Int] = []

    /// `Rss` of /proc/self/smaps_rollup, in KiB.
    static func residentKilobytes() throws -> Int {
        let text = String(decoding: try readFile("/proc/self/smaps_rollup"), as: UTF8.self)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("Rss:") })
        return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? 0
    }
}
