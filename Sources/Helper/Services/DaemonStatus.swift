import Glibc
import IPCProtocol
import Synchronization

/// What a daemon operation found.
public struct DaemonStatus: Sendable, Codable, Equatable {
    public var running: Bool
    public var pid: Int32?
    public init(running: Bool, pid: Int32?) {
        self.running = running
        self.pid = pid
    }
}
