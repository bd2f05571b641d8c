import NIOCore

/// Runs a connection's request handling on the connection's own event loop (a task executor
/// preference, SE-0417), so that a request no longer hops from the event loop to Swift's global
/// concurrency pool and its answer back: two thread wake-ups per request that cost more CPU than
/// answering `GET /` itself. The request path does not wait on the helper or on name lookups on
/// the loop (both go through NIO's thread pool); what it does run there (parsing a body, checking a
/// certificate, a log line written to stderr, a page of code mapped again) holds up the loop's
/// other connections for that long, as the same work held up the pool's thread before.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
