import Glibc

/// A failed system call: which call, on what, and the errno it returned.
public struct SystemError: Error, Sendable, CustomStringConvertible {
    public let call: String
    public let errno: Int32
    public let subject: String?

    public init(_ call: String, errno: Int32 = Glibc.errno, subject: String? = nil) {
        self.call = call
        self.errno = errno
        self.subject = subject
    }

    public var description: String {
        let reason = String(cString: strerror(errno))
        return subject.map { "\(call) \($0): \(reason)" } ?? "\(call): \(reason)"
    }
}

/// Runs a system call, retrying on EINTR, and throws a ``SystemError`` naming the call on failure.
@discardableResult
func retryingSyscall<T: FixedWidthInteger>(_ call: String, subject: String? = nil, _ body: () -> T) throws(SystemError) -> T {
    while true {
        let result = body()
        if result == -1 {
            let err = errno
            if err == EINTR { continue }
            throw SystemError(call, errno: err, subject: subject)
        }
        return result
    }
}

/// Writes all of `bytes` to `fd`.
func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(SystemError) {
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeBytes { raw in Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset) }
        if n < 0 {
            if errno == EINTR { continue }
            throw SystemError("write")
        }
        offset += n
    }
}

/// Reads until EOF or `limit` bytes; returns the bytes and whether the limit cut it short.
func readAll(_ fd: Int32, limit: Int) throws(SystemError) -> (bytes: [UInt8], truncated: Bool) {
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { raw in Glibc.read(fd, raw.baseAddress, raw.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw SystemError("read")
        }
        if n == 0 { return (out, false) }
        if out.count + n > limit {
            out.append(contentsOf: chunk[0..<(limit - out.count)])
            return (out, true)
        }
        out.append(contentsOf: chunk[0..<n])
    }
}

/// Reads a whole small file (certificates, configs) with a size cap.
func readFile(_ path: String, limit: Int = 1 << 20) throws(SystemError) -> [UInt8] {
    let fd = try retryingSyscall("open", subject: path) { open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY) }
    defer { close(fd) }
    let (bytes, truncated) = try readAll(fd, limit: limit)
    if truncated { throw SystemError("read", errno: EFBIG, subject: path) }
    return bytes
}

/// Monotonic time in nanoseconds, for durations and deadlines.
func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// The current UTC time as RFC 3339 with milliseconds, e.g. `2026-11-29T01:02:03.456Z`.
func utcTimestamp() -> String {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    var t = ts.tv_sec
    var parts = tm()
    gmtime_r(&t, &parts)
    func pad(_ v: Int32, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
    let ms = Int32(ts.tv_nsec / 1_000_000)
    return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
        + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(ms, 3))Z"
}

/// Starts a detached POSIX thread running `body` (the helper uses plain threads, no event loop).
func startThread(_ body: @escaping @Sendable () -> Void) {
    final class Box: @unchecked Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(&thread, nil, { raw in
        guard let raw else { return nil }
        let box = Unmanaged<AnyObject>.fromOpaque(raw).takeRetainedValue()
        (box as? Box)?.body()
        return nil
    }, box)
    if rc == 0 {
        pthread_detach(thread)
    } else {
        Unmanaged<AnyObject>.fromOpaque(box).release()
    }
}
