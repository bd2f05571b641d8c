import Glibc

/// Runs a system call, retrying on EINTR, and throws a ``SystemError`` naming the call on failure.
@discardableResult
public func retryingSyscall<T: FixedWidthInteger>(_ call: String, subject: String? = nil, _ body: () -> T) throws(SystemError) -> T {
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
