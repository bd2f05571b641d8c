import Foundation
import Glibc
import Testing

@testable import Helper

/// Which filesystems may hold certificates: the sysfs decision on synthetic trees shaped as the
/// kernel's (brd RAM disks, dm-crypt over them as upstream's `certs-ramfs` builds it, disks, loop
/// devices, other device-mapper targets), and the real tmpfs and root filesystems of this machine.
@Suite("memory-backed filesystems")
struct MemoryBackedFilesystemTests {
    static let ext2: Int64 = 0xEF53

    /// A synthetic `/sys`: `dev/block/MAJ:MIN/{uevent,dm/uuid,slaves/NAME/dev}`.
    final class FakeSysfs {
        let root: String

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("sysfs-\(UUID().uuidString.prefix(8))").path
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }

        func device(_ dev: String, name: String, dmUUID: String? = nil, slaves: [(String, String)] = []) throws {
            let directory = "\(root)/dev/block/\(dev)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let parts = dev.split(separator: ":")
            try "MAJOR=\(parts[0])\nMINOR=\(parts[1])\nDEVNAME=\(name)\nDEVTYPE=disk\n".write(
                toFile: directory + "/uevent", atomically: true, encoding: .utf8)
            if let dmUUID {
                try FileManager.default.createDirectory(atPath: directory + "/dm", withIntermediateDirectories: true)
                try (dmUUID + "\n").write(toFile: directory + "/dm/uuid", atomically: true, encoding: .utf8)
                try FileManager.default.createDirectory(atPath: directory + "/slaves", withIntermediateDirectories: true)
            }
            for (slave, slaveDev) in slaves {
                try FileManager.default.createDirectory(atPath: "\(directory)/slaves/\(slave)", withIntermediateDirectories: true)
                try (slaveDev + "\n").write(toFile: "\(directory)/slaves/\(slave)/dev", atomically: true, encoding: .utf8)
            }
        }

        func judge(_ dev: String, magic: Int64 = MemoryBackedFilesystemTests.ext2) -> MemoryBackedFilesystem.Verdict {
            let parts = dev.split(separator: ":").compactMap { UInt32($0) }
            return MemoryBackedFilesystem.judge(magic: magic, major: parts[0], minor: parts[1], sysfs: root)
        }
    }

    @Test("brd RAM disks and dm-crypt over them are memory; disks, loops, other dm targets and mixes are not")
    func sysfsDecision() throws {
        let sys = try FakeSysfs()
        try sys.device("1:0", name: "ram0")
        try sys.device("1:1", name: "ram1")
        try sys.device("8:0", name: "sda")
        try sys.device("7:0", name: "loop0")
        try sys.device("1:5", name: "sdz")  // major 1 but not a ram device name
        try sys.device("259:0", name: "ram0p1")  // a partition (blkext)
        try sys.device("253:0", name: "dm-0", dmUUID: "CRYPT-LUKS2-0123456789abcdef-certfs", slaves: [("ram0", "1:0")])
        try sys.device("253:1", name: "dm-1", dmUUID: "CRYPT-LUKS2-fedcba-disk", slaves: [("sda", "8:0")])
        try sys.device("253:2", name: "dm-2", dmUUID: "LVM-abcdef", slaves: [("ram1", "1:1")])
        try sys.device("253:3", name: "dm-3", dmUUID: "CRYPT-PLAIN-x", slaves: [("ram0", "1:0"), ("sda", "8:0")])
        try sys.device("253:4", name: "dm-4", dmUUID: "CRYPT-LUKS2-empty")
        try sys.device("253:5", name: "dm-5", dmUUID: "CRYPT-LUKS2-stacked", slaves: [("dm-0", "253:0")])
        try sys.device("253:6", name: "dm-6", dmUUID: "CRYPT-LUKS2-loop", slaves: [("dm-6", "253:6")])  // a cycle

        #expect(sys.judge("1:0") == .ramDisk("ram0"))
        #expect(sys.judge("253:0") == .ramDisk("dm-0 (dm-crypt over ram0)"))
        #expect(sys.judge("253:5").isMemoryOnly, "dm-crypt over dm-crypt over a RAM disk")
        for dev in ["8:0", "7:0", "1:5", "259:0", "253:1", "253:2", "253:3", "253:4", "253:6", "9:9"] {
            #expect(!sys.judge(dev).isMemoryOnly, "\(dev): \(sys.judge(dev))")
        }
        #expect(sys.judge("8:0") == .persistent("sda is not a RAM disk"))
        #expect(sys.judge("253:1") == .persistent("dm-1 (dm-crypt) over sda is not a RAM disk"))
        #expect(sys.judge("253:2") == .persistent("dm-2 is a device-mapper device other than dm-crypt"))
        // tmpfs and ramfs need no block device; anything else without one (btrfs, overlayfs, NFS) is refused.
        #expect(sys.judge("0:42", magic: 0x0102_1994) == .memoryFilesystem)
        #expect(sys.judge("0:42", magic: 0x8584_58f6) == .memoryFilesystem)
        #expect(!sys.judge("0:42", magic: 0x794C_7630).isMemoryOnly)
    }

    @Test("dev_t split as glibc's major() and minor()", arguments: [(8, 1), (253, 0), (1, 0), (259, 0x45678), (0x1234, 0xFFFFF)])
    func deviceNumbers(major: Int, minor: Int) {
        // glibc's makedev().
        let (ma, mi) = (UInt64(major), UInt64(minor))
        let dev = ((ma & 0xfff) << 8) | ((ma & ~UInt64(0xfff)) << 32) | (mi & 0xff) | ((mi & ~UInt64(0xff)) << 12)
        let split = MemoryBackedFilesystem.split(device: dev)
        #expect(split.major == UInt32(major) && split.minor == UInt32(minor))
    }

    @Test("this machine: a tmpfs is memory, the filesystem under the repository is not")
    func realFilesystems() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("memfs-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(mount("tmpfs", directory, "tmpfs", 0, "size=1m") == 0)
        defer { umount2(directory, 0) }
        let tmpfs = open(directory, O_RDONLY | O_DIRECTORY)
        defer { close(tmpfs) }
        #expect(MemoryBackedFilesystem.judge(directory: tmpfs) == .memoryFilesystem)
        let repository = open(URL(fileURLWithPath: #filePath).deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY)
        defer { close(repository) }
        #expect(!MemoryBackedFilesystem.judge(directory: repository).isMemoryOnly)
    }
}
