import Glibc
import IPCProtocol
import LinuxSystem
import Synchronization

/// Reading an audit log file for verification.
public enum AuditLogFile {
    public static func read(_ path: String) throws(SystemError) -> [UInt8] { try readFile(path, limit: 1 << 30) }
}
