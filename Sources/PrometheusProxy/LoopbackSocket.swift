import Glibc
import LinuxSystem

/// Blocking IPv4 TCP sockets on loopback addresses, with send and receive timeouts.
enum LoopbackSocket {
    static func address(_ host: String, _ port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr(host)
        return address
    }

    /// A listening socket bound to `host:port`.
    static func listening(_ host: String, _ port: UInt16, backlog: Int32 = 64) throws(SystemError) -> Int32 {
        let fd = try retryingSyscall("socket") { socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        try call("bind", fd, host, port) { bind($0, $1, $2) }
        if listen(fd, backlog) != 0 { throw closing(fd, SystemError("listen", subject: "\(host):\(port)")) }
        return fd
    }

    /// A socket connected to `host:port`.
    static func connected(_ host: String, _ port: UInt16, timeoutSeconds: Int) throws(SystemError) -> Int32 {
        let fd = try retryingSyscall("socket") { socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        setTimeouts(fd, seconds: timeoutSeconds)
        try call("connect", fd, host, port) { connect($0, $1, $2) }
        return fd
    }

    /// Runs `body` (bind or connect) on `fd` with `host:port` as its socket address; when it fails,
    /// closes `fd` and throws an error naming `name` and `host:port`.
    private static func call(
        _ name: String, _ fd: Int32, _ host: String, _ port: UInt16,
        _ body: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Int32
    ) throws(SystemError) {
        var address = address(host, port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 { throw closing(fd, SystemError(name, subject: "\(host):\(port)")) }
    }

    /// Closes `fd` and returns `error` (made before the close, so it carries the failed call's errno).
    private static func closing(_ fd: Int32, _ error: SystemError) -> SystemError {
        close(fd)
        return error
    }

    /// Sending and receiving give up (EAGAIN) after `seconds` without progress.
    static func setTimeouts(_ fd: Int32, seconds: Int) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }
}
