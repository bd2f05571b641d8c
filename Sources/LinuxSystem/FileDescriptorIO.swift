import Glibc

/// Writes all of `bytes` to `fd`, retrying on EINTR and after short writes.
public func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(SystemError) {
    try bytes.withUnsafeBytes { raw in Result { () throws(SystemError) in try writeAll(fd, raw) } }.get()
}

/// Writes all of `bytes` to `fd`, retrying on EINTR and after short writes.
public func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(SystemError) {
    try transferAll(bytes, call: "write") { Glibc.write(fd, $0, $1) }
}

/// Sends all of `bytes` on the connected socket `fd` without raising SIGPIPE (MSG_NOSIGNAL).
public func sendAll(_ fd: Int32, _ bytes: [UInt8]) throws(SystemError) {
    try bytes.withUnsafeBytes { raw in
        Result { () throws(SystemError) in try transferAll(raw, call: "send") { Glibc.send(fd, $0, $1, Int32(MSG_NOSIGNAL)) } }
    }.get()
}

/// The loop behind ``writeAll(_:_:)-([UInt8])`` and ``sendAll(_:_:)``: `transfer(pointer, count)` until all is out.
private func transferAll(
    _ bytes: UnsafeRawBufferPointer, call: String, _ transfer: (UnsafeRawPointer, Int) -> Int
) throws(SystemError) {
    guard let base = bytes.baseAddress else { return }
    var offset = 0
    while offset < bytes.count {
        offset += try retryingSyscall(call) { transfer(base + offset, bytes.count - offset) }
    }
}

/// Reads until EOF or `limit` bytes; returns the bytes and whether the limit cut it short.
public func readAll(_ fd: Int32, limit: Int) throws(SystemError) -> (bytes: [UInt8], truncated: Bool) {
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = try readSome(fd, into: &chunk)
        if n == 0 { return (out, false) }
        if out.count + n > limit {
            out.append(contentsOf: chunk[0..<(limit - out.count)])
            return (out, true)
        }
        out.append(contentsOf: chunk[0..<n])
    }
}

/// One `read(2)` into `buffer` (retried on EINTR): the byte count, 0 at end of file.
public func readSome(_ fd: Int32, into buffer: inout [UInt8]) throws(SystemError) -> Int {
    try buffer.withUnsafeMutableBytes { raw in Result { () throws(SystemError) in try readSome(fd, into: raw) } }.get()
}

/// One `read(2)` into `buffer` (retried on EINTR): the byte count, 0 at end of file.
public func readSome(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int {
    try retryingSyscall("read") { Glibc.read(fd, buffer.baseAddress, buffer.count) }
}

/// Reads a whole small file (certificates, configs) with a size cap.
public func readFile(_ path: String, limit: Int = 1 << 20) throws(SystemError) -> [UInt8] {
    let fd = try retryingSyscall("open", subject: path) { open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY) }
    defer { close(fd) }
    let (bytes, truncated) = try readAll(fd, limit: limit)
    if truncated { throw SystemError("read", errno: EFBIG, subject: path) }
    return bytes
}
