import CLinuxShim
import Glibc

/// Gives back the resident pages of shared libraries that a process used once and will not need
/// for a long while (`madvise(MADV_PAGEOUT)`, Linux 5.4). Nothing is lost: a clean page is read
/// again from the file when touched, and the kernel leaves alone what it cannot reclaim (a page
/// the process changed, such as relocated data, without swap; a page another process maps too).
public enum ResidentPages {
    /// `MADV_PAGEOUT`: reclaim these pages.
    static let pageOutAdvice: Int32 = 21

    /// Pages out every mapping of a file whose name starts with one of `libraries` (`libcrypto.so`);
    /// returns the bytes of the mappings advised (0 when `/proc/self/maps` cannot be read, or the
    /// kernel is older than 5.4).
    @discardableResult
    public static func pageOut(librariesNamed libraries: [String]) -> Int {
        guard let maps = try? readFile("/proc/self/maps", limit: 4 << 20) else { return 0 }
        var advised = 0
        for line in maps.split(separator: UInt8(ascii: "\n")) {
            guard let mapping = Mapping(line), libraries.contains(where: { mapping.fileName.hasPrefix($0) }) else { continue }
            if madvise(UnsafeMutableRawPointer(bitPattern: mapping.start), mapping.end - mapping.start, pageOutAdvice) == 0 {
                advised += mapping.end - mapping.start
            }
        }
        return advised
    }

    /// The Swift runtime's shared libraries (a build with `--static-swift-stdlib` has them in the
    /// executable instead).
    public static let swiftRuntime = [
        "libswiftCore.so", "libswift_Concurrency.so", "libFoundationEssentials.so", "libswift_StringProcessing.so",
        "libswift_RegexParser.so", "libswiftDispatch.so", "libdispatch.so", "libswiftSynchronization.so",
    ]

    /// How long a serving process has been without work before it unmaps the code that work ran
    /// (the helper, the launcher, the supervisor, the front).
    public static let quietSeconds = 5
    /// ``quietSeconds`` as a `poll` timeout.
    public static let quietMilliseconds = Int32(quietSeconds * 1000)

    /// Unmaps the code and read-only data this process touched so far: at the end of its start
    /// (the start's code), and after a quiet spell (what the last requests ran). The read-only
    /// segments of this executable and of the Swift runtime's libraries (`MADV_DONTNEED` on
    /// segments that are never written, found with `dl_iterate_phdr`). The pages stay in the page
    /// cache; what the process runs next is mapped again on first touch, and the order files
    /// (`linker/`) put the functions a serving process runs next to each other, so that is a few
    /// compact ranges. Returns the bytes advised.
    @discardableResult
    public static func unmapCode() -> Int {
        let prefixes = swiftRuntime.map { strdup($0) }
        defer { prefixes.forEach { free($0) } }
        return prefixes.map { UnsafePointer($0) }.withUnsafeBufferPointer {
            Int(cshim_unmap_read_only_segments($0.baseAddress, Int32($0.count)))
        }
    }

    /// One line of `/proc/self/maps`: `start-end perms offset dev inode [path]`.
    struct Mapping {
        let start: Int
        let end: Int
        /// The last component of the mapped file's path ("" for an anonymous mapping).
        let fileName: String

        init?(_ line: ArraySlice<UInt8>) {
            let fields = line.split(separator: UInt8(ascii: " "), maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count >= 5 else { return nil }
            let range = fields[0].split(separator: UInt8(ascii: "-"))
            guard range.count == 2, let start = Int(String(decoding: range[0], as: UTF8.self), radix: 16),
                let end = Int(String(decoding: range[1], as: UTF8.self), radix: 16), start < end
            else { return nil }
            (self.start, self.end) = (start, end)
            let path = fields.count == 6 ? String(decoding: fields[5], as: UTF8.self).trimmingLeadingSpaces : ""
            fileName = path.split(separator: "/").last.map(String.init) ?? ""
        }
    }
}

extension String {
    fileprivate var trimmingLeadingSpaces: String { String(drop(while: { $0 == " " })) }
}
