import Glibc
import LinuxSystem

/// A value guarded by a pthread mutex: `Synchronization.Mutex`'s `withLock`, in a form
/// ThreadSanitizer understands.
///
/// `Mutex` on Linux locks with futex system calls that ThreadSanitizer cannot see, so it reports
/// every access made under a `Mutex` from two threads as a data race (a ten-line program with a
/// `LockedValue<Int>` and `concurrentPerform` gets three reports), which hides real races among false
/// ones. TSan intercepts `pthread_mutex_lock`, so state guarded here is checked for what it is.
/// ```swift
/// let counter = LockedValue(0)
/// counter.withLock { $0 += 1 }
/// ```
public final class LockedValue<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    public init(_ value: sending Value) {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        self.value = value
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value.
    public func withLock<Result, E: Error>(_ body: (inout Value) throws(E) -> Result) throws(E) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
