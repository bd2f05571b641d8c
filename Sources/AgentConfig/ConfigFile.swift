#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a small regular file with plain POSIX calls, reporting failures as `strerror` text.
enum ConfigFile {
    /// Why a read failed, as it reads after `cannot read: `.
    struct Failure: Error {
        let reason: String
    }

    static func errorText(_ code: Int32) -> String {
        guard let message = strerror(code) else { return "error \(code)" }
        return String(cString: message)
    }

    static func contents(path: String, limit: Int) -> Result<String, Failure> {
        guard !path.utf8.contains(0) else { return .failure(Failure(reason: "path contains a NUL byte")) }
        // O_NONBLOCK: opening a FIFO must not hang; it changes nothing for a regular file.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
        guard fd >= 0 else { return .failure(Failure(reason: errorText(errno))) }
        defer { _ = close(fd) }

        var status = stat()
        guard fstat(fd, &status) == 0 else { return .failure(Failure(reason: errorText(errno))) }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            return .failure(Failure(reason: (status.st_mode & S_IFMT) == S_IFDIR ? errorText(EISDIR) : "not a regular file"))
        }

        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in
                read(fd, buffer.baseAddress, buffer.count)
            }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(Failure(reason: errorText(errno)))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[..<count])
            if bytes.count > limit { return .failure(Failure(reason: "larger than \(limit) bytes")) }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .failure(Failure(reason: "not valid UTF-8"))
        }
        return .success(text)
    }
}
