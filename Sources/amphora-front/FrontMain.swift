import ArgumentParser
import FrontAPI

/// Starts the front: Swift concurrency first moves onto the event loop (no thread hop a request,
/// ``FrontAPI/EventLoopConcurrency``), before any task starts, then the command runs.
@main
enum AmphoraFrontMain {
    static func main() async {
        EventLoopConcurrency.install()
        await AmphoraFrontCommand.main()
    }
}
