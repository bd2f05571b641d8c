import LinuxSystem
import NIOCore
import Synchronization

/// Counts the front's open connections per source address and refuses one over ``maximum``, so
/// that one peer cannot take every connection slot (``FrontServer/maximumConnections``) while the
/// controller waits. Counted from accept to close, handshake or not.
final class SourceConnectionLimiter: Sendable {
    let maximum: Int
    private let open = LockedValue<[String: Int]>([:])
    private let closed = Atomic<UInt64>(0)
    /// One element whenever an admitted connection closed since ``closes`` was last read (at most
    /// one waits, so a close counted meanwhile may wake its reader once for nothing): the front's one
    /// ``HeapTrimmer`` sleeps on it while there is nothing to trim. One reader, once: the stream
    /// ends when its reader's task is cancelled.
    let closes: AsyncStream<Void>
    private let closeSignal: AsyncStream<Void>.Continuation

    /// Admitted connections that have closed so far (``HeapTrimmer`` looks at it).
    var closedConnections: UInt64 { closed.load(ordering: .relaxed) }

    init(maximum: Int) {
        self.maximum = maximum
        (closes, closeSignal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Counts `channel` against its source address and returns true, or returns false when that
    /// address already holds ``maximum`` connections. An admitted channel is uncounted when it closes.
    func admit(_ channel: any Channel) -> Bool {
        let source = channel.remoteAddress?.ipAddress ?? "unknown"
        let admitted = open.withLock { counts -> Bool in
            let current = counts[source, default: 0]
            guard current < maximum else { return false }
            counts[source] = current + 1
            return true
        }
        if admitted {
            channel.closeFuture.whenComplete { _ in self.release(source) }
        }
        return admitted
    }

    /// Open connections from `source` (for logs and tests).
    func count(_ source: String) -> Int { open.withLock { $0[source, default: 0] } }

    private func release(_ source: String) {
        open.withLock { counts in
            let remaining = counts[source, default: 1] - 1
            counts[source] = remaining > 0 ? remaining : nil
        }
        closed.add(1, ordering: .relaxed)
        closeSignal.yield()
    }
}
