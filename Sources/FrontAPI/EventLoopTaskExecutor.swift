import NIOCore

/// Runs a connection's request handling on the connection's own event loop (a task executor
/// preference, SE-0417), so that a request no longer hops from the event loop to Swift's global
/// concurrency pool and its answer back: two thread wake-ups per request that cost more CPU than
/// answering `GET /` itself. Nothing on the request path blocks (the helper is called through
/// NIO's thread pool), so running it on the loop does not stall the loop's other connections
/// any longer than the same work on the pool would.
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
