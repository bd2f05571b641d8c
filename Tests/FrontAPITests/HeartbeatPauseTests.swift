import IPCProtocol
import LinuxSystem
import Logging
import Testing

@testable import FrontAPI

/// The heartbeat loop sleeps out its interval in one wait, which new settings end at once (no
/// periodic wake-ups of an idle front to look for them).
@Suite("Heartbeat pause between beats")
struct HeartbeatPauseTests {
    /// A sender with a 600 s interval whose helper never answers.
    static func sender(helper: RecordingHelper = RecordingHelper { _ in throw HelperUnavailable(reason: "no helper here") })
        -> HeartbeatSender
    {
        HeartbeatSender(
            amphoraID: "amphora", settings: HeartbeatSettings(controllers: [], intervalSeconds: 600, key: "k"), helper: helper,
            logger: Logger(label: "test"))
    }

    /// A 600 s pause of `sender` in a task of its own, once it is registered (``HeartbeatSender/update(_:)`` can end it).
    static func pausing(_ sender: HeartbeatSender) async -> Task<Void, Never> {
        let generation = sender.state.withLock { $0.generation }
        let pausing = Task { await sender.pause(for: .seconds(600), unlessUpdatedSince: generation) }
        while sender.state.withLock({ $0.pause == nil }) { await Task.yield() }
        return pausing
    }

    @Test("the loop beats, and a shorter interval from new settings applies to the next beat at once", .timeLimit(.minutes(1)))
    func loopTakesANewIntervalAtOnce() async throws {
        let helper = RecordingHelper { _ in throw HelperUnavailable(reason: "no helper here") }
        let sender = Self.sender(helper: helper)
        /// Beats so far (each asks the helper for its statistics first).
        func beats() -> Int { helper.sent.filter { if case .heartbeatStats = $0 { true } else { false } }.count }
        let loop = Task { await sender.run() }
        while beats() < 1 || sender.state.withLock({ $0.pause == nil }) { try await Task.sleep(for: .milliseconds(5)) }
        #expect(beats() == 1, "one beat, then the 600 s pause")
        sender.update(HeartbeatSettings(controllers: [], intervalSeconds: 1, key: "k"))
        while beats() < 2 { try await Task.sleep(for: .milliseconds(5)) }
        loop.cancel()
        await loop.value
    }

    @Test("new settings end a long pause", .timeLimit(.minutes(1)))
    func updateEndsThePause() async {
        let sender = Self.sender()
        let pausing = await Self.pausing(sender)
        sender.update(HeartbeatSettings(controllers: [], intervalSeconds: 1, key: "k"))
        await pausing.value
        #expect(sender.state.withLock { $0.pause == nil })
    }

    @Test("settings that came before the pause started: no pause at all", .timeLimit(.minutes(1)))
    func staleGenerationDoesNotPause() async {
        let sender = Self.sender()
        let generation = sender.state.withLock { $0.generation }
        sender.update(HeartbeatSettings(controllers: [], intervalSeconds: 1, key: "k"))
        await sender.pause(for: .seconds(600), unlessUpdatedSince: generation)
    }

    @Test("cancelling the loop ends a long pause", .timeLimit(.minutes(1)))
    func cancellationEndsThePause() async {
        let pausing = await Self.pausing(Self.sender())
        pausing.cancel()
        await pausing.value
    }
}
