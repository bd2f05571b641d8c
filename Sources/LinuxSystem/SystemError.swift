import Glibc

/// A failed system call: which call, on what, and the errno it returned.
public struct SystemError: Error, Sendable, CustomStringConvertible {
    public let call: String
    public let errno: Int32
    public let subject: String?
    /// The change was made, wholly or in part (readers see it), though the call failed: only the
    /// fsync of its directory failed (it may not survive a crash), or a tree was partly removed, or
    /// a directory made could not be taken back. False for every error that left things as they were.
    public var applied = false

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
