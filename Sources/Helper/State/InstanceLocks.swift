import Glibc
import IPCProtocol
import LinuxSystem

/// Per-instance serialisation: requests for one instance run one at a time; different instances
/// proceed in parallel.
final class InstanceLocks: Sendable {
    final class Lock: Sendable { let mutex = LockedValue(()) }
    private let locks = LockedValue<[ResourceID: Lock]>([:])

    func withLock<T, E: Error>(_ id: ResourceID, _ body: () throws(E) -> T) throws(E) -> T {
        let lock = locks.withLock { table in
            if let existing = table[id] { return existing }
            let created = Lock()
            table[id] = created
            return created
        }
        return try lock.mutex.withLock { _ throws(E) in try body() }
    }
}
