import CLinuxShim

/// Gives the heap's free pages back to the kernel once connections have closed. glibc's malloc keeps
/// what a burst of connections freed (TLS and HTTP buffers, spread over the event loops' arenas)
/// and returns only the top of each heap; after a 128-connection load the front held about 10 MiB
/// more than before it (docs/performance.md). Every `interval`, if a connection closed since the last
/// look, `malloc_trim(0)` releases the free pages of every arena; an idle front does nothing.
struct HeapTrimmer: Sendable {
    var interval: Duration = .seconds(1)
    /// Connections closed so far (``SourceConnectionLimiter/closedConnections``).
    let closedConnections: @Sendable () -> UInt64
    var trim: @Sendable () -> Void = { _ = cshim_malloc_trim() }

    /// Runs until its task is cancelled.
    func run() async {
        var seen = closedConnections()
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            seen = trimIfClosed(since: seen)
        }
    }

    /// Trims when connections closed since `seen`; returns the count to compare with next time.
    func trimIfClosed(since seen: UInt64) -> UInt64 {
        let now = closedConnections()
        if now != seen { trim() }
        return now
    }
}
