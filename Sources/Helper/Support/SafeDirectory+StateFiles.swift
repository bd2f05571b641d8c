import IPCProtocol
import LinuxSystem

extension SafeDirectory {
    /// Reads one of the agent's state files (at most ``IPCProtocol/Frame/maximumPayloadSize``
    /// bytes), or nil if it does not exist. That cap admits the largest file the agent stores, an
    /// uploaded configuration as the helper wrote it, which is also the most one IPC frame carries back.
    func read(_ name: String) throws(SystemError) -> [UInt8]? {
        try read(name, limit: Frame.maximumPayloadSize)
    }
}
