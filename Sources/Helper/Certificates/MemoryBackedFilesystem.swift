import CLinuxShim
import Glibc
import LinuxSystem

/// Whether a filesystem keeps what is written to it in memory only, so that key material never
/// reaches a disk: a tmpfs or ramfs, or any filesystem on a RAM disk (`brd`, `/dev/ramN`) or on
/// dm-crypt over RAM disks only, as upstream's `certs-ramfs` image element builds it (a LUKS-encrypted
/// ext2 on `/dev/ram0` mounted at `base_cert_dir`). Everything else is refused: disks, partitions,
/// loop devices (their backing file may live anywhere), other device-mapper targets, network and
/// anonymous-device filesystems (btrfs, overlayfs, NFS).
///
/// The block device comes from `fstat` of the directory (`st_dev`), its kind from sysfs:
/// `/sys/dev/block/MAJ:MIN/uevent` (`MAJOR=1`, `DEVNAME=ramN` for brd), `.../dm/uuid` (`CRYPT-`
/// for dm-crypt) and `.../slaves/*/dev` for what a device-mapper device sits on.
public enum MemoryBackedFilesystem {
    /// `TMPFS_MAGIC` and `RAMFS_MAGIC` from linux/magic.h.
    public static let memoryMagics: Set<Int64> = [0x0102_1994, 0x8584_58f6]
    /// `RAMDISK_MAJOR` (linux/major.h): the brd driver's block devices.
    public static let ramDiskMajor: UInt32 = 1
    /// How deep dm-crypt may stack over dm-crypt before the answer is no.
    static let maximumDepth = 4

    /// The answer, with what the refusal names.
    public enum Verdict: Equatable, Sendable {
        /// A tmpfs or ramfs.
        case memoryFilesystem
        /// A filesystem on a RAM disk or on dm-crypt over RAM disks; the device's name.
        case ramDisk(String)
        /// Anything else, and why.
        case persistent(String)

        public var isMemoryOnly: Bool {
            if case .persistent = self { return false }
            return true
        }
    }

    /// Judges the filesystem of the open directory `fd`.
    public static func judge(directory fd: Int32, sysfs: String = "/sys") -> Verdict {
        let magic = cshim_fs_magic(fd)
        guard magic >= 0 else { return .persistent("fstatfs failed (errno \(errno))") }
        var status = stat()
        guard fstat(fd, &status) == 0 else { return .persistent("fstat failed (errno \(errno))") }
        let (major, minor) = split(device: UInt64(status.st_dev))
        return judge(magic: Int64(magic), major: major, minor: minor, sysfs: sysfs)
    }

    /// glibc's `major()` and `minor()` of a `dev_t` (macros Swift does not import).
    static func split(device: UInt64) -> (major: UInt32, minor: UInt32) {
        let major = ((device >> 8) & 0xfff) | ((device >> 32) & ~UInt64(0xfff))
        let minor = (device & 0xff) | ((device >> 12) & ~UInt64(0xff))
        return (UInt32(truncatingIfNeeded: major), UInt32(truncatingIfNeeded: minor))
    }

    /// Judges a filesystem of type `magic` on device `major:minor`, reading the sysfs tree at `sysfs`.
    public static func judge(magic: Int64, major: UInt32, minor: UInt32, sysfs: String = "/sys") -> Verdict {
        if memoryMagics.contains(magic) { return .memoryFilesystem }
        guard major != 0 else {
            return .persistent("a filesystem without a block device of its own (type 0x\(String(magic, radix: 16)))")
        }
        return blockDevice(major: major, minor: minor, sysfs: sysfs, depth: 0)
    }

    static func blockDevice(major: UInt32, minor: UInt32, sysfs: String, depth: Int) -> Verdict {
        let directory = "\(sysfs)/dev/block/\(major):\(minor)"
        guard let uevent = read(directory + "/uevent") else { return .persistent("block device \(major):\(minor) unknown to sysfs") }
        var name = "\(major):\(minor)"
        for line in uevent.split(separator: "\n") where line.hasPrefix("DEVNAME=") { name = String(line.dropFirst(8)) }
        if major == ramDiskMajor, name.hasPrefix("ram"), name.count > 3, name.dropFirst(3).allSatisfy(\.isASCIIDigit) {
            return .ramDisk(name)
        }
        guard let uuid = read(directory + "/dm/uuid") else { return .persistent("\(name) is not a RAM disk") }
        guard uuid.hasPrefix("CRYPT-") else { return .persistent("\(name) is a device-mapper device other than dm-crypt") }
        guard depth < maximumDepth else { return .persistent("\(name): dm-crypt stacked too deep") }
        let slaves = entries(directory + "/slaves")
        guard !slaves.isEmpty else { return .persistent("\(name): dm-crypt over nothing sysfs shows") }
        for slave in slaves {
            guard let dev = read("\(directory)/slaves/\(slave)/dev"), let (slaveMajor, slaveMinor) = parseDevice(dev) else {
                return .persistent("\(name): dm-crypt over \(slave), which sysfs does not describe")
            }
            let verdict = blockDevice(major: slaveMajor, minor: slaveMinor, sysfs: sysfs, depth: depth + 1)
            guard verdict.isMemoryOnly else {
                if case .persistent(let why) = verdict { return .persistent("\(name) (dm-crypt) over \(why)") }
                return verdict
            }
        }
        return .ramDisk("\(name) (dm-crypt over \(slaves.joined(separator: ", ")))")
    }

    /// `MAJ:MIN` from a sysfs `dev` file.
    static func parseDevice(_ text: String) -> (UInt32, UInt32)? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let major = UInt32(parts[0]), let minor = UInt32(parts[1]) else { return nil }
        return (major, minor)
    }

    /// A small sysfs file's text, trimmed; nil when it cannot be read.
    static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard count >= 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self)
        return text.trimmingSuffix(while: { $0 == "\n" || $0 == " " })
    }

    /// The names in a directory (without `.` and `..`), sorted; empty when it cannot be read.
    static func entries(_ path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = DirectoryEntryName.of(entry)
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    fileprivate func trimmingSuffix(while drop: (Character) -> Bool) -> String {
        var text = Substring(self)
        while let last = text.last, drop(last) { text = text.dropLast() }
        return String(text)
    }
}
