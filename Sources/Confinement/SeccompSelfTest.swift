import CLinuxShim
import Glibc

/// Probes that load one role's filter into the calling process and then try one thing: the test
/// suite runs them in a child and checks how it ended (killed by SIGSYS, or exit status 0).
public enum SeccompSelfTest {
    /// What a probe tries after the filter is loaded.
    public enum Probe: String, Sendable, CaseIterable {
        /// `execve("/bin/true")`: SIGSYS for every role.
        case execve
        /// A new process with raw `clone(SIGCHLD)`: SIGSYS for the front and the helper; exit 0 for the launcher.
        case fork
        /// A thread (glibc tries clone3, gets ENOSYS, falls back to clone with CLONE_THREAD): exit 0.
        case thread
        /// `execveat` on a descriptor outside the program slots: SIGSYS.
        case execveatOutside = "execveat-outside"
        /// `execveat` of `/bin/true` placed in program slot 0: exit 0 for the launcher (SIGSYS otherwise).
        case execveatSlot = "execveat-slot"
        /// `execveat(slot, "/usr/bin/false", AT_EMPTY_PATH)`: an absolute path makes the kernel ignore the
        /// descriptor, so seccomp lets it through; Landlock refuses it (EACCES, exit 0) for the launcher.
        case execveatSlotPath = "execveat-slot-path"
        /// `close` on a program slot, also with garbage in the upper 32 bits: EPERM both times, exit 0 (launcher).
        case closeSlot = "close-slot"
        /// `socket(AF_PACKET)`: SIGSYS for the front (the helper and the launcher may send gratuitous ARP).
        case packetSocket = "packet-socket"
        /// `ptrace(PTRACE_TRACEME)`: SIGSYS for every role.
        case ptrace
        /// `unshare(CLONE_NEWNS)`: SIGSYS for every role (nothing makes a mount namespace).
        case unshare
        /// `mount` of proc: SIGSYS for every role.
        case mount
    }

    /// Loads the filter of `role` (capabilities are left alone) and runs `probe`. Exit status 0
    /// means the probe's allowed outcome happened; 2 means the filter failed to load; 3 means a
    /// forbidden call returned instead of killing the process.
    public static func run(role: ConfinedRole, probe: Probe) -> Never {
        var slotFD: Int32 = -1
        if probe == .execveatSlot || probe == .closeSlot || probe == .execveatSlotPath {
            let fd = open("/bin/true", cshim_O_PATH | O_CLOEXEC)
            guard fd >= 0, let slot = try? ProgramDescriptorSlots.install(fd, index: 0) else { say("cannot open /bin/true"); exit(2) }
            slotFD = slot
        }
        let outside = open("/bin/true", cshim_O_PATH | O_CLOEXEC)
        do {
            // As the launcher does: its programs (here /bin/true) are the only executables.
            if role == .launcher { try ExecuteAllowList.restrict(to: ["/bin/true"]) }
            try Confinement.filter(for: role).load()
        } catch {
            say("seccomp-selftest: \(error.description)")
            exit(2)
        }
        switch probe {
        case .execve:
            _ = withArgv { argv in execve("/bin/true", argv, argv.advanced(by: 1)) }
            exit(3)
        case .fork:
            exit(cshim_probe_fork() > 0 ? 0 : 3)
        case .thread:
            var thread = pthread_t()
            let started = pthread_create(&thread, nil, { _ in nil }, nil)
            guard started == 0 else { say("pthread_create: \(String(cString: strerror(started)))"); exit(4) }
            pthread_join(thread, nil)
            exit(0)
        case .execveatOutside:
            _ = withArgv { argv in cshim_probe_execveat(outside, "", argv, argv.advanced(by: 1), 0x1000) }
            exit(3)
        case .execveatSlot:
            _ = withArgv { argv in cshim_probe_execveat(slotFD, "", argv, argv.advanced(by: 1), 0x1000) }
            say("execveat: \(String(cString: strerror(errno)))")
            exit(3)
        case .execveatSlotPath:
            _ = withArgv { argv in cshim_probe_execveat(slotFD, "/usr/bin/false", argv, argv.advanced(by: 1), 0x1000) }
            exit(errno == EACCES ? 0 : 3)
        case .closeSlot:
            let plain = cshim_probe_close(UInt64(slotFD))
            let plainErrno = errno
            let masked = cshim_probe_close(UInt64(slotFD) | (1 << 32))
            let maskedErrno = errno
            exit(plain == -1 && plainErrno == EPERM && masked == -1 && maskedErrno == EPERM ? 0 : 3)
        case .packetSocket:
            _ = socket(17, Int32(SOCK_RAW.rawValue), 0)
            exit(3)
        case .ptrace:
            _ = cshim_probe_ptrace_traceme()
            exit(3)
        case .unshare:
            _ = cshim_probe_unshare_mount_namespace()
            exit(3)
        case .mount:
            _ = cshim_probe_mount_proc()
            exit(3)
        }
    }

    /// `argv = ["true", NULL]` followed by an empty environment `[NULL]`.
    static func withArgv<R>(_ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        let pointers = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: 3)
        pointers[0] = strdup("true")
        pointers[1] = nil
        pointers[2] = nil
        defer {
            free(pointers[0])
            pointers.deallocate()
        }
        return body(pointers)
    }

    static func say(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}
