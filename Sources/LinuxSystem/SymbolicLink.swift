import Glibc

/// Where the symbolic link `path` points (readlink, at most 4095 bytes), or nil when it cannot be read.
/// `/proc/self/exe` gives this executable's path.
public func symbolicLinkTarget(_ path: String) -> String? {
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = readlink(path, &buffer, buffer.count - 1)
    guard n > 0 else { return nil }
    return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
