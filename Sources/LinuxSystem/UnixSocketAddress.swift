import Glibc

/// A Unix socket path as a `sockaddr_un`, for bind(2) and connect(2).
public struct UnixSocketAddress {
    public let path: String
    private var storage = sockaddr_un()

    /// Nil when `path` (with its NUL) does not fit in `sun_path` (108 bytes).
    public init?(path: String) {
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: storage.sun_path) else { return nil }
        self.path = path
        storage.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &storage.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
    }

    /// Calls `body` with the address and its length, as bind(2) and connect(2) take them.
    public func withSocketAddress<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        withUnsafePointer(to: storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }

    /// `connect(fd, self)`, retried on EINTR; the error names the path.
    public func connect(_ fd: Int32) throws(SystemError) {
        try retryingSyscall("connect", subject: path) { withSocketAddress { Glibc.connect(fd, $0, $1) } }
    }

    /// `bind(fd, self)`; the error names the path.
    public func bind(_ fd: Int32) throws(SystemError) {
        try retryingSyscall("bind", subject: path) { withSocketAddress { Glibc.bind(fd, $0, $1) } }
    }
}
