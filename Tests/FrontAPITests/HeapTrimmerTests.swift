import NIOCore
import NIOEmbedded
import Synchronization
import Testing

@testable import FrontAPI

/// The front returns its heap's free pages after connections close, and only then.
@Suite("Front heap trimming after connections close")
struct HeapTrimmerTests {
    final class Calls: Sendable {
        let trims = Atomic<Int>(0)
        let closed = Atomic<UInt64>(0)
        let releases = Atomic<Int>(0)
    }

    @Test("trims once after closes, not while nothing closed; releases the code once after a quiet spell")
    func trimsOnlyAfterCloses() {
        let calls = Calls()
        let trimmer = HeapTrimmer(
            closedConnections: { calls.closed.load(ordering: .relaxed) }, trim: { calls.trims.add(1, ordering: .relaxed) },
            quietIntervals: 2, release: { calls.releases.add(1, ordering: .relaxed) })
        var seen = trimmer.step(.init(closed: 0, quiet: nil))
        #expect(calls.trims.load(ordering: .relaxed) == 0)
        calls.closed.add(3, ordering: .relaxed)
        seen = trimmer.step(seen)
        #expect(seen == .init(closed: 3, quiet: 0))
        #expect(calls.trims.load(ordering: .relaxed) == 1)
        seen = trimmer.step(seen)
        #expect(calls.trims.load(ordering: .relaxed) == 1 && calls.releases.load(ordering: .relaxed) == 0)
        seen = trimmer.step(seen)
        #expect(calls.releases.load(ordering: .relaxed) == 1 && seen.quiet == nil)
        for _ in 0..<5 { seen = trimmer.step(seen) }
        #expect(calls.trims.load(ordering: .relaxed) == 1 && calls.releases.load(ordering: .relaxed) == 1)
    }

    @Test("the connection limiter counts the connections that closed and signals them")
    func limiterCountsCloses() async throws {
        let limiter = SourceConnectionLimiter(maximum: 4)
        let channels = (0..<3).map { _ in EmbeddedChannel() }
        for channel in channels { #expect(limiter.admit(channel)) }
        #expect(limiter.closedConnections == 0)
        for channel in channels.prefix(2) {
            _ = try channel.finish()
            channel.embeddedEventLoop.run()
        }
        #expect(limiter.closedConnections == 2)
        #expect(limiter.count("unknown") == 1)
        var closes = limiter.closes.makeAsyncIterator()
        #expect(await closes.next() != nil, "a close wakes the trimmer")
    }

    @Test(
        "with the limiter's closes it sleeps until a connection closes: once the code went back, it does not look again",
        .timeLimit(.minutes(1)))
    func sleepsUntilAClose() async throws {
        let calls = Calls()
        let looks = Atomic<Int>(0)
        let (closes, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let trimmer = HeapTrimmer(
            interval: .milliseconds(1),
            closedConnections: {
                looks.add(1, ordering: .relaxed)
                return calls.closed.load(ordering: .relaxed)
            },
            closes: closes, trim: { calls.trims.add(1, ordering: .relaxed) }, quietIntervals: 2,
            release: { calls.releases.add(1, ordering: .relaxed) })
        let task = Task { await trimmer.run() }
        defer { task.cancel() }
        /// Waits (up to 10 s) until `condition` holds.
        func eventually(_ condition: () -> Bool) async throws {
            for _ in 0..<1000 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
            #expect(condition(), "still not so after 10 s")
        }
        /// The looks once they stopped changing for 50 ms (the trimmer has gone to sleep).
        func settledLooks() async throws -> Int {
            var last = looks.load(ordering: .relaxed)
            for _ in 0..<200 {
                try await Task.sleep(for: .milliseconds(50))
                let now = looks.load(ordering: .relaxed)
                if now == last { return now }
                last = now
            }
            return last
        }
        try await eventually { looks.load(ordering: .relaxed) >= 2 }
        try await Task.sleep(for: .milliseconds(100))
        let idleLooks = looks.load(ordering: .relaxed)
        #expect(idleLooks <= 2, "no close yet: at most the first look and the check before sleeping")
        #expect(calls.trims.load(ordering: .relaxed) == 0)
        calls.closed.add(1, ordering: .relaxed)
        signal.yield()
        try await eventually { calls.releases.load(ordering: .relaxed) == 1 }
        #expect(calls.trims.load(ordering: .relaxed) == 1 && calls.releases.load(ordering: .relaxed) == 1)
        let afterRelease = try await settledLooks()
        try await Task.sleep(for: .milliseconds(100))
        #expect(looks.load(ordering: .relaxed) == afterRelease, "asleep again until the next close")
        task.cancel()
        await task.value
    }

    @Test("the real trim runs, and a cancelled trimmer stops")
    func realTrimStops() async {
        let trimmer = HeapTrimmer(interval: .milliseconds(1), closedConnections: { 0 })
        trimmer.trim()
        let task = Task { await trimmer.run() }
        task.cancel()
        await task.value
    }
}
