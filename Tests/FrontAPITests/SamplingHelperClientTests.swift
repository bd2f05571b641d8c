import IPCProtocol
import LinuxSystem
import Testing

@testable import FrontAPI

/// The front's sampling of info and details (``SamplingHelperClient``), against a recording helper.
@Suite("Sampled info and details")
struct SamplingHelperClientTests {
    static let id = try! ResourceID(validating: "11111111-2222-4333-8444-555555555555")

    /// A helper whose info names how many info commands it has answered (in `hostname`).
    static func countingHelper() -> RecordingHelper {
        let answered = RecordingCounter()
        return RecordingHelper { command in
            switch command {
            case .amphoraInfo:
                return .amphoraInfo(
                    AmphoraInfo(hostname: "h\(answered.next())", amphoraID: id, haproxyVersion: nil, keepalivedVersion: nil, ipvsadmVersion: nil))
            case .haproxyAction: return .actionDone(details: "done")
            default: return .instances([])
            }
        }
    }

    static func hostname(_ reply: Reply) -> String? {
        if case .amphoraInfo(let info) = reply { return info.hostname }
        return nil
    }

    @Test("info asked twice at once is sent to the helper once; other queries every time")
    func sampled() async throws {
        let recording = Self.countingHelper()
        let client = SamplingHelperClient(base: recording)
        let first = try await client.send(.amphoraInfo)
        let second = try await client.send(.amphoraInfo)
        #expect(Self.hostname(first) == "h1" && Self.hostname(second) == "h1")
        _ = try await client.send(.listInstances)
        _ = try await client.send(.listInstances)
        #expect(recording.sent == [.amphoraInfo, .listInstances, .listInstances])
    }

    @Test("a state-changing command discards the sample: the next info is asked afresh")
    func mutationInvalidates() async throws {
        let recording = Self.countingHelper()
        let client = SamplingHelperClient(base: recording)
        _ = try await client.send(.amphoraInfo)
        _ = try await client.send(.haproxyAction(instance: Self.id, action: .reload))
        let after = try await client.send(.amphoraInfo)
        #expect(Self.hostname(after) == "h2")
        #expect(recording.sent.count == 3)
    }

    @Test("a sample older than a second is not used")
    func expires() async throws {
        let recording = Self.countingHelper()
        let client = SamplingHelperClient(base: recording)
        _ = try await client.send(.amphoraInfo)
        try await Task.sleep(nanoseconds: SamplingHelperClient.maximumAgeNanoseconds + 50_000_000)
        let later = try await client.send(.amphoraInfo)
        #expect(Self.hostname(later) == "h2")
    }

    @Test("a failed fetch is not kept: the next call asks again")
    func failureNotSampled() async throws {
        let calls = RecordingCounter()
        let recording = RecordingHelper { _ in
            if calls.next() == 1 { throw HelperUnavailable(reason: "restarting") }
            return .amphoraInfo(AmphoraInfo(hostname: "h", amphoraID: Self.id, haproxyVersion: nil, keepalivedVersion: nil, ipvsadmVersion: nil))
        }
        let client = SamplingHelperClient(base: recording)
        await #expect(throws: HelperUnavailable.self) { try await client.send(.amphoraInfo) }
        #expect(Self.hostname(try await client.send(.amphoraInfo)) == "h")
    }
}

/// A thread-safe counter: `next()` returns 1, 2, 3, ...
final class RecordingCounter: Sendable {
    private let value = LockedValue(0)
    func next() -> Int { value.withLock { $0 += 1; return $0 } }
}
