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
        var address = address(host, port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if bound != 0 {
            let error = SystemError("bind", subject: "\(host):\(port)")
            close(fd)
            throw error
        }
        if listen(fd, backlog) != 0 {
            let error = SystemError("listen", subject: "\(host):\(port)")
            close(fd)
            throw error
        }
        return fd
    }

    /// A socket connected to `host:port`.
    static func connected(_ host: String, _ port: UInt16, timeoutSeconds: Int) throws(SystemError) -> Int32 {
        let fd = try retryingSyscall("socket") { socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        setTimeouts(fd, seconds: timeoutSeconds)
        var address = address(host, port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 {
            let error = SystemError("connect", subject: "\(host):\(port)")
            close(fd)
            throw error
        }
        return fd
    }

    /// Sending and receiving give up (EAGAIN) after `seconds` without progress.
    static func setTimeouts(_ fd: Int32, seconds: Int) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }
}
