import Glibc

/// Monotonic time in nanoseconds, for durations and deadlines.
public func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// Monotonic time in whole seconds, for coarse deadlines and restart windows.
public func monotonicSeconds() -> UInt64 { monotonicNanoseconds() / 1_000_000_000 }
