import NIOCore
import NIOPosix

/// Runs the front's Swift concurrency on its NIO event loop, so that serving a request does not
/// hop between threads: without it every read and every answer crossed from the event loop to
/// Swift's concurrency pool and back (two thread wake-ups a request, the largest share of a
/// kept-alive `GET /`'s CPU; docs/benchmark.md).
///
/// One event loop: the front's work is small (TLS records, parsing, a Unix-socket call to the
/// helper, which blocks on ``HelperSocketClient``'s thread pool, never on the loop), and on an
/// amphora the CPUs belong to haproxy. Call once, from the main thread, before any task starts.
public enum EventLoopConcurrency {
    /// The event loops of the front (NIO's singleton group, which Hummingbird serves on).
    public static let loops = 1

    /// Sizes NIO's singleton group and makes it Swift concurrency's global executor; false when the
    /// runtime offers no hook (the front then runs as before, on the default pool).
    @discardableResult
    public static func install() -> Bool {
        NIOSingletons.groupLoopCountSuggestion = loops
        return NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
