import CLinuxShim
import Glibc

/// The agent's confined processes, each with its own seccomp policy in `policy/`.
public enum ConfinedRole: String, Sendable, CaseIterable {
    /// `amphora-front`: network-facing, no capabilities; threads, but no fork and no exec.
    case front
    /// `amphora-helper serve`: root with a few capabilities; threads, but no fork and no exec.
    case helper
    /// `amphora-helper launcher`: forks and executes only its pre-opened programs; its children inherit the filter.
    case launcher

    /// The policy file's name in `policy/` (and in ``EmbeddedPolicy``).
    public var policyFile: String { "seccomp-\(rawValue).policy" }
    /// The golden export's name in `policy/`.
    public var goldenFile: String { "seccomp-\(rawValue).pfc" }
}

/// Confining a process: capabilities first, then the seccomp filter (no_new_privs, every thread).
///
/// ```swift
/// Confinement.confineOrExit(.helper, program: "amphora-helper")   // one stderr line and exit 1 on failure
/// ```
///
/// The policies are compiled into the binary (``EmbeddedPolicy``); a unit test proves they equal the
/// files in `policy/` byte for byte, and another that each compiled filter equals its golden export.
public enum Confinement {
    /// The name of the capability policy shared by the helper and its launchers.
    public static let helperCapabilitiesFile = "capabilities-helper.txt"

    /// The seccomp policy of `role`, parsed from the embedded copy of its file.
    public static func policy(for role: ConfinedRole) throws(ConfinementError) -> SeccompPolicy {
        guard let text = EmbeddedPolicy.files[role.policyFile] else { throw ConfinementError("no embedded \(role.policyFile)") }
        return try SeccompPolicy(parsing: text, name: role.policyFile)
    }

    /// The compiled filter of `role`.
    public static func filter(for role: ConfinedRole) throws(ConfinementError) -> SeccompFilter {
        do {
            return try SeccompFilter(policy: try policy(for: role))
        } catch {
            throw ConfinementError("\(role.policyFile): \(error.description)")
        }
    }

    /// The capabilities the helper and its launchers keep.
    public static func helperCapabilities() throws(ConfinementError) -> CapabilityPolicy {
        guard let text = EmbeddedPolicy.files[helperCapabilitiesFile] else {
            throw ConfinementError("no embedded \(helperCapabilitiesFile)")
        }
        return try CapabilityPolicy(parsing: text, name: helperCapabilitiesFile)
    }

    /// The capabilities the launchers keep.
    public static func launcherCapabilities() throws(ConfinementError) -> CapabilityPolicy {
        guard let text = EmbeddedPolicy.files[launcherCapabilitiesFile] else {
            throw ConfinementError("no embedded \(launcherCapabilitiesFile)")
        }
        return try CapabilityPolicy(parsing: text, name: launcherCapabilitiesFile)
    }

    /// The name of the launchers' capability policy.
    public static let launcherCapabilitiesFile = "capabilities-launcher.txt"

    /// Confines the calling process as `role`. The front must already hold no capabilities (it is
    /// refused otherwise); the helper drops to ``helperCapabilities()``, the launcher to
    /// ``launcherCapabilities()``. The launcher may then execute only `executables` (Landlock);
    /// on a kernel without Landlock that is an error when `requireLandlock` is set, else one warning
    /// line. Last, the seccomp filter is loaded for every thread. Returns whether Landlock holds.
    @discardableResult
    public static func confine(_ role: ConfinedRole, executables: [String] = [], requireLandlock: Bool = false) throws(ConfinementError)
        -> Bool
    {
        let filter = try filter(for: role)
        var landlock = false
        switch role {
        case .front:
            let sets = try CapabilityPolicy.current()
            guard sets.effective == 0, sets.permitted == 0, sets.inheritable == 0 else {
                throw ConfinementError("the front holds capabilities (permitted \(hex(sets.permitted))); refusing to serve")
            }
        case .helper:
            try helperCapabilities().restrictCurrentProcess()
        case .launcher:
            try launcherCapabilities().restrictCurrentProcess()
            landlock = try ExecuteAllowList.restrict(to: executables)
            if !landlock {
                if requireLandlock {
                    throw ConfinementError("this kernel has no Landlock (service_manager = systemd requires it: boot with lsm=...,landlock)")
                }
                let line = Array(
                    "amphora-helper launcher: warning: no Landlock in this kernel; exec is limited by seccomp slots only and configuration checks are not kept from writing (DAC only)\n"
                        .utf8)
                _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            }
        }
        try filter.load()
        return landlock
    }

    /// ``confine(_:executables:requireLandlock:)``, or one line on stderr and exit status 1: a
    /// process that cannot be confined stops.
    @discardableResult
    public static func confineOrExit(_ role: ConfinedRole, program: String, executables: [String] = [], requireLandlock: Bool = false)
        -> Bool
    {
        do {
            return try confine(role, executables: executables, requireLandlock: requireLandlock)
        } catch {
            let line = Array("\(program): cannot confine the \(role.rawValue): \(error.description)\n".utf8)
            _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            exit(1)
        }
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
    }
}

/// The launcher's program descriptors live at fixed slots, the only descriptors its filter lets
/// `execveat` run; closing them or duplicating onto them is refused by the filter.
public enum ProgramDescriptorSlots {
    /// Moves `fd` (an O_PATH descriptor of a program) to slot `index` and closes the original.
    /// Returns the slot's descriptor number.
    public static func install(_ fd: Int32, index: Int) throws(ConfinementError) -> Int32 {
        guard index >= 0, index < Int(SeccompFilter.programSlotCount) else {
            throw ConfinementError("no program descriptor slot for program \(index + 1)")
        }
        let slot = SeccompFilter.programSlotBase + Int32(index)
        if fd == slot { return slot }
        let placed = cshim_dup_to_free_slot(fd, slot)
        guard placed == slot else {
            throw ConfinementError("cannot place a program at descriptor \(slot): \(String(cString: strerror(errno)))")
        }
        close(fd)
        return slot
    }
}

/// The launcher's second wall around exec (Landlock `LANDLOCK_ACCESS_FS_EXECUTE`): seccomp cannot
/// read the path given to `execveat`, and an absolute path makes the kernel ignore the descriptor,
/// so the kernel's file-system policy allows executing only the launcher's programs and the dynamic
/// loader. Inherited by every child.
public enum ExecuteAllowList {
    /// Dynamic loaders the programs' ELF headers name (the kernel opens them for execution too).
    public static let loaders = ["/lib64/ld-linux-x86-64.so.2", "/lib/ld-linux-aarch64.so.1", "/lib/ld-linux-x86-64.so.2"]

    /// Restricts execution for this process and its future children to `programs` and the loader.
    /// Returns false (and restricts nothing) on a kernel without Landlock: then only the seccomp
    /// descriptor slots hold.
    @discardableResult
    public static func restrict(to programs: [String]) throws(ConfinementError) -> Bool {
        let paths = programs + loaders.filter { access($0, F_OK) == 0 }
        let copies = paths.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        var pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
        pointers.append(nil)
        let result = pointers.withUnsafeBufferPointer { cshim_landlock_restrict_execute($0.baseAddress, Int32(paths.count)) }
        if result < 0 { throw ConfinementError("landlock: \(String(cString: strerror(errno)))") }
        return result > 0
    }
}
