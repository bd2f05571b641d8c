/// Plain writes to stdout or stderr (one line at a time, no buffering surprises).
public struct FileDescriptorOutput: Sendable {
    public let fd: Int32
    public static let standardError = FileDescriptorOutput(fd: 2)
    public static let standardOutput = FileDescriptorOutput(fd: 1)

    public init(fd: Int32) { self.fd = fd }

    public func write(_ text: String) { try? writeAll(fd, Array(text.utf8)) }
}
