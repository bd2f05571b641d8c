import CSeccomp
import Glibc

/// A compiled libseccomp filter for one process role, built from its ``SeccompPolicy``.
///
/// ```swift
/// let filter = try SeccompFilter(policy: policy)
/// try filter.load()            // no_new_privs, TSYNC: every thread of this process
/// ```
public final class SeccompFilter {
    /// The launcher's program descriptor slots: `programSlotBase ..< programSlotBase + programSlotCount`.
    /// Aligned to 8 so that one masked comparison on the low 32 bits covers them all.
    public static let programSlotBase: Int32 = 96
    public static let programSlotCount: Int32 = 8

    static let cloneThread: UInt64 = 0x0001_0000
    static let atEmptyPath: UInt64 = 0x1000
    static let closeRangeCloexec: UInt64 = 4

    private let context: scmp_filter_ctx

    /// Compiles `policy`: default action and bad-architecture action KILL_PROCESS, TSYNC on.
    public init(policy: SeccompPolicy) throws(ConfinementError) {
        guard let context = seccomp_init(cseccomp_act_kill_process()) else { throw ConfinementError("seccomp_init failed") }
        self.context = context
        try check(seccomp_attr_set(context, SCMP_FLTATR_ACT_BADARCH, cseccomp_act_kill_process()), "set the bad-architecture action")
        try check(seccomp_attr_set(context, SCMP_FLTATR_CTL_NNP, 1), "ask for no_new_privs")
        try check(seccomp_attr_set(context, SCMP_FLTATR_CTL_TSYNC, 1), "ask for thread synchronisation")
        for entry in policy.entries {
            let number = seccomp_syscall_resolve_name_arch(0, entry.syscall)
            guard number >= 0 else {
                throw ConfinementError("line \(entry.line): \(entry.syscall) is not a system call on this architecture")
            }
            try add(entry, number: number)
        }
    }

    deinit { seccomp_release(context) }

    private func check(_ result: Int32, _ what: String) throws(ConfinementError) {
        guard result == 0 else { throw ConfinementError("seccomp: cannot \(what): \(String(cString: strerror(-result)))") }
    }

    private func rule(_ action: UInt32, _ number: Int32, _ comparisons: [scmp_arg_cmp], _ entry: SeccompPolicy.Entry)
        throws(ConfinementError)
    {
        let result = comparisons.withUnsafeBufferPointer { buffer in
            seccomp_rule_add_array(context, action, number, UInt32(buffer.count), buffer.baseAddress)
        }
        try check(result, "add the rule for \(entry.syscall) (line \(entry.line))")
    }

    private static func compare(_ argument: UInt32, _ op: scmp_compare, _ a: UInt64, _ b: UInt64 = 0) -> scmp_arg_cmp {
        scmp_arg_cmp(arg: argument, op: op, datum_a: a, datum_b: b)
    }

    private func add(_ entry: SeccompPolicy.Entry, number: Int32) throws(ConfinementError) {
        let allow = cseccomp_act_allow()
        switch entry.rule {
        case .allow:
            try rule(allow, number, [], entry)
        case .errno(let value):
            try rule(cseccomp_act_errno(UInt16(value)), number, [], entry)
        case .kill:
            break  // the default action; the line documents it
        case .threadsOnly:
            try rule(allow, number, [Self.compare(0, SCMP_CMP_MASKED_EQ, Self.cloneThread, Self.cloneThread)], entry)
        case .families(let families):
            for family in families {
                try rule(allow, number, [Self.compare(0, SCMP_CMP_EQ, UInt64(family))], entry)
            }
        case .programDescriptors:
            for slot in 0..<Self.programSlotCount {
                let fd = UInt64(Self.programSlotBase + slot)
                try rule(allow, number, [Self.compare(0, SCMP_CMP_EQ, fd), Self.compare(4, SCMP_CMP_EQ, Self.atEmptyPath)], entry)
            }
        case .protectProgramDescriptors:
            // close(fd) or dup2/dup3(old, new): the descriptor that would be closed or replaced.
            let argument: UInt32 = entry.syscall == "close" ? 0 : 1
            let base = UInt64(Self.programSlotBase)
            let end = base + UInt64(Self.programSlotCount)
            // The kernel reads these arguments as 32-bit: mask the upper half so no garbage there slips past.
            try rule(
                cseccomp_act_errno(UInt16(EPERM)), number,
                [Self.compare(argument, SCMP_CMP_MASKED_EQ, 0xFFFF_FFFF & ~UInt64(Self.programSlotCount - 1), base)], entry)
            try rule(allow, number, [Self.compare(argument, SCMP_CMP_LT, base)], entry)
            try rule(allow, number, [Self.compare(argument, SCMP_CMP_GE, end)], entry)
        case .cloexecOnly:
            try rule(allow, number, [Self.compare(2, SCMP_CMP_EQ, Self.closeRangeCloexec)], entry)
            try rule(cseccomp_act_errno(UInt16(ENOSYS)), number, [Self.compare(2, SCMP_CMP_NE, Self.closeRangeCloexec)], entry)
        }
    }

    /// libseccomp's pseudo filter code (`seccomp_export_pfc`), as committed in `policy/*.pfc`.
    public func exportPFC() throws(ConfinementError) -> String {
        guard let file = tmpfile() else { throw ConfinementError("tmpfile: \(String(cString: strerror(errno)))") }
        defer { fclose(file) }
        let fd = fileno(file)
        try check(seccomp_export_pfc(context, fd), "export the filter")
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        var offset: off_t = 0
        while true {
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
            if n < 0, errno == EINTR { continue }
            if n < 0 { throw ConfinementError("read the exported filter: \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            offset += off_t(n)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Loads the filter into the kernel for every thread of this process (sets no_new_privs).
    public func load() throws(ConfinementError) {
        let result = seccomp_load(context)
        guard result == 0 else { throw ConfinementError("seccomp_load: \(String(cString: strerror(-result)))") }
    }
}
