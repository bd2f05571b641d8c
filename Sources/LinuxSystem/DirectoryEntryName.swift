import Glibc

/// The name of a `readdir` entry, read in place.
///
/// `readdir` returns records only `d_reclen` bytes long, usually far shorter than `struct dirent`
/// with its 256-byte `d_name`; copying `entry.pointee.d_name` (what `withUnsafePointer(to:)` and
/// `withUnsafeBytes(of:)` do) reads past the record and, for the last one, past the buffer
/// (AddressSanitizer: heap-buffer-overflow). The name is NUL-terminated inside the record.
public enum DirectoryEntryName {
    public static func of(_ entry: UnsafeMutablePointer<dirent>) -> String {
        guard let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name) else { return "" }
        return String(cString: (UnsafeRawPointer(entry) + offset).assumingMemoryBound(to: CChar.self))
    }
}
