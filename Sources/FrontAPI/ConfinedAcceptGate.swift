import Hummingbird
import HummingbirdCore
import Synchronization

/// Keeps the listening socket from accepting until the front has confined itself. Hummingbird binds
/// and listens inside `runService` (name resolution there opens a netlink socket, which the front's
/// seccomp policy refuses), so the filter cannot be loaded before the bind; instead this delegate
/// answers "not accepting" until ``open()``, so NIO does not even ask epoll for incoming connections:
/// no connection is accepted, and no byte of any peer is read, before the filter is loaded.
/// Otherwise it counts connections like Hummingbird's `MaximumAvailableConnections`.
struct ConfinedAcceptGate: AvailableConnectionsDelegate {
    /// Shared between the delegate copy inside the server pipeline and the code that opens it.
    final class Latch: Sendable {
        private let opened = Atomic<Bool>(false)
        var isOpen: Bool { opened.load(ordering: .acquiring) }
        func open() { opened.store(true, ordering: .releasing) }
    }

    let latch: Latch
    let maximum: Int
    var count = 0

    init(latch: Latch, maximum: Int) {
        self.latch = latch
        self.maximum = maximum
    }

    mutating func connectionOpened() { count += 1 }
    mutating func connectionClosed() { count -= 1 }
    func isAcceptingNewConnections() -> Bool { latch.isOpen && count < maximum }
}
