import CLinuxShim
import Glibc

/// The capabilities a process keeps, read from `policy/capabilities-*.txt`: one capability a line,
/// followed by the reason it is needed (a line without a reason is refused).
///
/// ```
/// CAP_NET_ADMIN   links, addresses, routes and rules (ip, nft)
/// ```
public struct CapabilityPolicy: Sendable, Equatable {
    /// Capability numbers (linux/capability.h), by name.
    public static let numbers: [String: Int] = [
        "CAP_CHOWN": 0, "CAP_DAC_OVERRIDE": 1, "CAP_DAC_READ_SEARCH": 2, "CAP_FOWNER": 3, "CAP_FSETID": 4,
        "CAP_KILL": 5, "CAP_SETGID": 6, "CAP_SETUID": 7, "CAP_SETPCAP": 8, "CAP_LINUX_IMMUTABLE": 9,
        "CAP_NET_BIND_SERVICE": 10, "CAP_NET_BROADCAST": 11, "CAP_NET_ADMIN": 12, "CAP_NET_RAW": 13,
        "CAP_IPC_LOCK": 14, "CAP_IPC_OWNER": 15, "CAP_SYS_MODULE": 16, "CAP_SYS_RAWIO": 17, "CAP_SYS_CHROOT": 18,
        "CAP_SYS_PTRACE": 19, "CAP_SYS_PACCT": 20, "CAP_SYS_ADMIN": 21, "CAP_SYS_BOOT": 22, "CAP_SYS_NICE": 23,
        "CAP_SYS_RESOURCE": 24, "CAP_SYS_TIME": 25, "CAP_SYS_TTY_CONFIG": 26, "CAP_MKNOD": 27, "CAP_LEASE": 28,
        "CAP_AUDIT_WRITE": 29, "CAP_AUDIT_CONTROL": 30, "CAP_SETFCAP": 31, "CAP_MAC_OVERRIDE": 32,
        "CAP_MAC_ADMIN": 33, "CAP_SYSLOG": 34, "CAP_WAKE_ALARM": 35, "CAP_BLOCK_SUSPEND": 36,
        "CAP_AUDIT_READ": 37, "CAP_PERFMON": 38, "CAP_BPF": 39, "CAP_CHECKPOINT_RESTORE": 40,
    ]

    /// The kept capabilities, by name, with their reasons.
    public var reasons: [String: String]

    /// The kept capabilities as a bit mask (as in `/proc/<pid>/status` `CapBnd`).
    public var mask: UInt64 {
        reasons.keys.reduce(0) { $0 | (UInt64(1) << UInt64(Self.numbers[$1] ?? 63)) }
    }

    public init(parsing text: String, name: String) throws(ConfinementError) {
        var reasons: [String: String] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = content.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let capability = words.first else { continue }
            guard Self.numbers[capability] != nil else { throw ConfinementError("\(name):\(index + 1): unknown capability \(capability)") }
            guard words.count > 1 else { throw ConfinementError("\(name):\(index + 1): \(capability) needs a reason") }
            guard reasons[capability] == nil else { throw ConfinementError("\(name):\(index + 1): \(capability) appears twice") }
            reasons[capability] = words.dropFirst().joined(separator: " ")
        }
        self.reasons = reasons
    }

    /// Keeps only these capabilities: drops every other one from the bounding set (so no program
    /// executed later regains it), clears the ambient set, and sets effective and permitted to the
    /// kept ones (inheritable to none).
    public func restrictCurrentProcess() throws(ConfinementError) {
        let last = cshim_cap_last()
        let keep = mask
        for cap in 0...max(0, last) where keep & (UInt64(1) << UInt64(cap)) == 0 {
            guard cshim_capability_in_bounding_set(Int32(cap)) == 1 else { continue }
            guard cshim_drop_bounding_capability(Int32(cap)) == 0 else {
                throw ConfinementError("cannot drop capability \(cap) from the bounding set: \(String(cString: strerror(errno)))")
            }
        }
        if cshim_clear_ambient_capabilities() != 0, errno != EINVAL {
            throw ConfinementError("cannot clear the ambient capabilities: \(String(cString: strerror(errno)))")
        }
        let current = try Self.current()
        let kept = keep & current.permitted
        guard cshim_capset(kept, kept, 0) == 0 else {
            throw ConfinementError("capset: \(String(cString: strerror(errno)))")
        }
    }

    /// The effective, permitted and inheritable sets of this process.
    public static func current() throws(ConfinementError) -> (effective: UInt64, permitted: UInt64, inheritable: UInt64) {
        var effective: UInt64 = 0
        var permitted: UInt64 = 0
        var inheritable: UInt64 = 0
        guard cshim_capget(&effective, &permitted, &inheritable) == 0 else {
            throw ConfinementError("capget: \(String(cString: strerror(errno)))")
        }
        return (effective, permitted, inheritable)
    }
}
