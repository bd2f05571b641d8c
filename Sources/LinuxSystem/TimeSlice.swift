import CLinuxShim
import Glibc

/// The time slice the kernel's fair scheduler gives the agent's own processes: the front, the
/// helper, its launcher and the standalone agent (EEVDF's custom slice, `sched_attr.sched_runtime`,
/// Linux 6.12 and later; older kernels ignore the request).
///
/// A task that wakes up preempts the running one only if its virtual deadline (its vruntime plus
/// its slice) comes first. With the default slice (0.75 ms times 1 + log2 of the CPUs, up to 8),
/// a helper woken by a reply waits behind a haproxy master that is parsing its configuration again
/// after the reload it was just told of (about 6 ms of CPU), and a round of upload and reload
/// loses about 2 ms that way (docs/performance.md, "Thirteenth pass"). A short slice makes the
/// agent's short bursts of work run first; it does not change the share of CPU a process gets (its
/// weight, from its nice value): under load, haproxy gets what it got before.
///
/// Threads and child processes inherit the slice: the tools the launcher runs for a request
/// (`haproxy -c`, `ip`, `systemctl`) run with it too. The daemons the standalone agent starts
/// (haproxy, keepalived, the metrics proxy) go back to the default before exec
/// (``SpawnAttributes/defaultTimeSlice``), as they have under systemd.
public enum TimeSlice {
    /// 0.3 ms: about what the front or the helper spends on one request.
    public static let requestedNanoseconds: UInt64 = 300_000

    /// Requests ``requestedNanoseconds`` for the calling thread, and so for the threads and
    /// processes it starts afterwards; call it first thing, before any thread starts. Returns the
    /// errno when the kernel refused (nothing changes then).
    @discardableResult
    public static func request() -> Int32? {
        let result = cshim_set_time_slice(requestedNanoseconds)
        return result == 0 ? nil : -result
    }

    /// The warning a process logs when ``request()`` returned `errno`.
    public static func refusal(_ errno: Int32) -> String {
        "the kernel refused a short time slice (\(String(cString: strerror(errno)))); the default one is kept"
    }

    /// The slice thread `tid` runs with in nanoseconds (0: the calling thread; the kernel's default
    /// where none was requested, 0 before Linux 6.12), or nil when it cannot be read.
    public static func current(thread tid: pid_t = 0) -> UInt64? {
        let value = cshim_time_slice(tid)
        return value >= 0 ? UInt64(value) : nil
    }
}
