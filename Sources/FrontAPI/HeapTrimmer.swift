import CLinuxShim
import LinuxSystem

/// Gives memory back once connections have closed. glibc's malloc keeps what a burst of
/// connections freed (TLS and HTTP buffers, spread over the event loops' arenas) and returns only
/// the top of each heap; after a 128-connection load the front held about 10 MiB more than before
/// it (docs/performance.md). Every `interval`, if a connection closed since the last look,
/// `malloc_trim(0)` releases the free pages of every arena. Once no connection has closed for
/// `quietIntervals` more, the code the connections ran is unmapped too (``ResidentPages``, as at
/// the end of the start); the next request maps what it runs again. From then on (and from the
/// start) it sleeps until a connection closes: an idle front does not wake.
struct HeapTrimmer: Sendable {
    var interval: Duration = .seconds(1)
    /// Connections closed so far (``SourceConnectionLimiter/closedConnections``).
    let closedConnections: @Sendable () -> UInt64
    /// An element after connections closed (``SourceConnectionLimiter/closes``); nil: look every `interval`.
    var closes: AsyncStream<Void>?
    var trim: @Sendable () -> Void = { _ = cshim_malloc_trim() }
    /// Intervals without a close before the code goes back (``ResidentPages/quietSeconds`` at the default interval).
    var quietIntervals = ResidentPages.quietSeconds
    var release: @Sendable () -> Void = { _ = ResidentPages.unmapCode() }

    /// What the trimmer has seen: the closes counted, and the intervals without one since the last
    /// trim (nil once the code went back, until the next close).
    struct Seen: Equatable {
        var closed: UInt64
        var quiet: Int?
    }

    /// Runs until its task is cancelled.
    func run() async {
        var seen = Seen(closed: closedConnections(), quiet: nil)
        var closed = closes?.makeAsyncIterator()
        while !Task.isCancelled {
            // Nothing trimmed or released waits, and nothing closed since: sleep until something does.
            if seen.quiet == nil, closedConnections() == seen.closed, closed != nil {
                guard await closed?.next() != nil else { return }
            }
            try? await Task.sleep(for: interval)
            seen = step(seen)
        }
    }

    /// Trims when connections closed since `seen`, releases the code after a quiet spell; returns
    /// what to compare with next time.
    func step(_ seen: Seen) -> Seen {
        let now = closedConnections()
        if now != seen.closed {
            trim()
            return Seen(closed: now, quiet: 0)
        }
        guard let quiet = seen.quiet else { return seen }
        if quiet + 1 >= quietIntervals {
            release()
            return Seen(closed: now, quiet: nil)
        }
        return Seen(closed: now, quiet: quiet + 1)
    }
}
