import IPCProtocol
import LinuxSystem

/// A ``HelperClient`` that answers the amphora's facts (`amphora-info`, `amphora-details`) from a
/// sample younger than ``maximumAgeNanoseconds``, and sends every other command on unchanged.
///
/// A controller (or a monitoring loop) that polls `GET /1.0/details` then costs the helper one
/// sample a second at most: reading `/proc`, the interfaces and haproxy's sockets is most of a
/// details call. A sample never outlives a change made through the agent: every command that
/// changes state (``IPCProtocol/Command/isMutating``) discards it, before it is sent and after it
/// is answered, so a `GET` after an upload or a reload sees its effect. Changes the agent does not
/// make (interface counters, the load) are at most a second old, as a one-second sampler would report them.
public final class SamplingHelperClient: HelperClient {
    /// How long a sample answers: one second.
    public static let maximumAgeNanoseconds: UInt64 = 1_000_000_000

    struct Sample {
        let reply: Reply
        let takenAt: UInt64
        let generation: UInt64
    }

    struct State {
        /// Bumped by every state-changing command; a sample of an older generation is stale.
        var generation: UInt64 = 0
        var samples: [String: Sample] = [:]
    }

    let base: any HelperClient
    let state = LockedValue(State())

    public init(base: any HelperClient) {
        self.base = base
    }

    /// The command names answered from a sample.
    static func isSampled(_ command: Command) -> Bool {
        switch command {
        case .amphoraInfo, .amphoraDetails: return true
        default: return false
        }
    }

    public func send(_ command: Command) async throws -> Reply {
        if command.isMutating {
            invalidate()
            defer { invalidate() }
            return try await base.send(command)
        }
        guard Self.isSampled(command) else { return try await base.send(command) }
        let now = monotonicNanoseconds()
        let (fresh, generation): (Reply?, UInt64) = state.withLock { state in
            guard let sample = state.samples[command.name], sample.generation == state.generation,
                now >= sample.takenAt, now - sample.takenAt < Self.maximumAgeNanoseconds
            else { return (nil, state.generation) }
            return (sample.reply, state.generation)
        }
        if let fresh { return fresh }
        let reply = try await base.send(command)
        state.withLock { state in
            // Kept only if nothing changed while it was taken.
            if state.generation == generation { state.samples[command.name] = Sample(reply: reply, takenAt: now, generation: generation) }
        }
        return reply
    }

    /// Discards every sample.
    func invalidate() {
        state.withLock { state in
            state.generation &+= 1
            state.samples.removeAll()
        }
    }
}
