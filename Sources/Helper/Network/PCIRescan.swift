import Glibc
import IPCProtocol
import LinuxSystem

/// Asks the kernel to enumerate the PCI bus again by writing `1` to `/sys/bus/pci/rescan`, as
/// upstream's agent does when a plug finds no link with the port's MAC (Nova hot-plugged the port
/// but the guest kernel did not notice). The path is a constant (nothing the front sends names a
/// file), opened without following a symlink; every attempt is audited before the write (no audit
/// record, no write) and its outcome after. At most one write a second, so that a front repeating
/// plugs of unknown MACs cannot keep the bus busy; the controller retries every 2 to 5 seconds, so
/// each of its retries still gets a fresh rescan. No file (a container, no PCI bus): nothing written.
public final class PCIRescan: Sendable {
    public static let path = "/sys/bus/pci/rescan"
    static let minimumIntervalNanoseconds: UInt64 = 1_000_000_000

    let audit: AuditLog
    let path: String
    let lastWrite = LockedValue<UInt64?>(nil)

    public init(audit: AuditLog) {
        self.audit = audit
        self.path = Self.path
    }

    /// Writes the rescan file; true when the kernel accepted the write (the caller looks again).
    func rescan(context: AuditContext) -> Bool {
        let now = monotonicNanoseconds()
        let due = lastWrite.withLock { last -> Bool in
            if let last, now &- last < Self.minimumIntervalNanoseconds { return false }
            last = now
            return true
        }
        let base = context.fields + [("path", JSONValue.string(path))]
        guard due else {
            try? audit.record("pci-rescan", base + [("outcome", .string("skipped: rescanned less than a second ago"))])
            return false
        }
        do {
            try audit.record("pci-rescan-intent", base)
        } catch {
            return false
        }
        let fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 {
            let reason = errno == ENOENT ? "absent" : String(cString: strerror(errno))
            try? audit.record("pci-rescan", base + [("outcome", .string("not written: \(reason)"))])
            return false
        }
        defer { close(fd) }
        let outcome: String
        do {
            try writeAll(fd, Array("1".utf8))
            outcome = "written"
        } catch {
            outcome = "not written: \(error.description)"
        }
        try? audit.record("pci-rescan", base + [("outcome", .string(outcome))])
        return outcome == "written"
    }
}
