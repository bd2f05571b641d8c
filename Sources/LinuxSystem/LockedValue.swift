import Glibc

/// A value guarded by a pthread mutex: `Synchronization.Mutex`'s `withLock`, in a form
/// ThreadSanitizer understands.
///
/// `Mutex` on Linux locks with futex system calls that ThreadSanitizer cannot see, so it reports
/// every access made under a `Mutex` from two threads as a data race (a ten-line program with a
/// `Mutex<Int>` and `concurrentPerform` gets three reports), which hides real races among false
/// ones. TSan intercepts `pthread_mutex_lock`, so state guarded here is checked for what it is.
/// The mutex checks errors: taking it again on the thread that holds it stops the process, as
/// `Mutex` does, instead of hanging.
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
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ERRORCHECK))
        let status = pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
        precondition(status == 0, "pthread_mutex_init failed: \(status)")
        self.value = value
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value.
    public func withLock<Result, E: Error>(_ body: (inout sending Value) throws(E) -> sending Result) throws(E) -> sending Result {
        let status = pthread_mutex_lock(mutex)
        precondition(status == 0, "LockedValue locked again by the thread that holds it (or pthread_mutex_lock failed: \(status))")
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
