import Glibc
import Testing

@testable import LinuxSystem

/// ``TimeSlice`` and ``SpawnAttributes/defaultTimeSlice`` against the real scheduler.
@Suite("Time slice")
struct TimeSliceTests {
    /// What one thread saw: the slices before and after its request, and those of two children it
    /// started afterwards (one inheriting, one spawned as a daemon).
    struct Observed: Sendable {
        var before: UInt64?
        var refusal: Int32?
        var after: UInt64?
        var inherited: UInt64?
        var daemon: UInt64?
        var spawnError: String?
    }

    /// Runs `body` on a thread of its own (the request stays with that thread) and waits for it.
    static func onNewThread(_ body: @escaping @Sendable () -> Observed) -> Observed {
        let result = LockedValue<Observed?>(nil)
        var done = sem_t()
        sem_init(&done, 0, 0)
        defer { sem_destroy(&done) }
        withUnsafeMutablePointer(to: &done) { pointer in
            let semaphore = UnsafeSendablePointer(pointer)
            #expect(startThread {
                let observed = body()
                result.withLock { $0 = observed }
                sem_post(semaphore.pointer)
            })
            while sem_wait(pointer) != 0 && errno == EINTR {}
        }
        return result.withLock { $0 } ?? Observed()
    }

    struct UnsafeSendablePointer: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<sem_t>
        init(_ pointer: UnsafeMutablePointer<sem_t>) { self.pointer = pointer }
    }

    /// Starts `sleep`, reads its slice once it runs the program, then ends it.
    static func childSlice(daemon: Bool) throws -> UInt64? {
        var attributes = SpawnAttributes(executable: .path("/bin/sleep"), arguments: ["sleep", "30"], environment: [])
        attributes.defaultTimeSlice = daemon
        let pid = try attributes.spawn()
        defer {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
        return TimeSlice.current(thread: pid)
    }

    @Test("a requested slice holds for the thread and its children; a daemon's spawn goes back to the kernel's default")
    func requestedSliceIsInheritedExceptByDaemons() throws {
        let observed = Self.onNewThread {
            var seen = Observed()
            seen.before = TimeSlice.current()
            seen.refusal = TimeSlice.request()
            seen.after = TimeSlice.current()
            do {
                seen.inherited = try Self.childSlice(daemon: false)
                seen.daemon = try Self.childSlice(daemon: true)
            } catch {
                seen.spawnError = "\(error)"
            }
            return seen
        }
        #expect(observed.spawnError == nil)
        #expect(observed.refusal == nil)
        let defaultSlice = try #require(observed.before)
        // The test runner's threads have no request of their own.
        #expect(TimeSlice.current() == defaultSlice)
        #expect(observed.daemon == defaultSlice)
        if observed.after == defaultSlice, defaultSlice != TimeSlice.requestedNanoseconds {
            // A kernel without custom slices (before Linux 6.12) accepts the request and ignores it.
            #expect(observed.inherited == defaultSlice)
            return
        }
        #expect(observed.after == TimeSlice.requestedNanoseconds)
        #expect(observed.inherited == TimeSlice.requestedNanoseconds)
    }
}
