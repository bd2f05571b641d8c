import IPCProtocol
import LinuxSystem

@testable import FrontAPI

/// A ``HelperClient`` that records every command and answers from a script: the seam the route
/// and error-mapping tests use instead of a helper (the integration suites run the real one).
final class RecordingHelper: HelperClient {
    private let log = LockedValue<[Command]>([])
    private let script: @Sendable (Command) throws -> Reply

    /// `script` answers each command: a reply, or a thrown ``CommandError`` / ``HelperUnavailable``.
    init(_ script: @escaping @Sendable (Command) throws -> Reply) {
        self.script = script
    }

    /// Every command sent so far, in order.
    var sent: [Command] { log.withLock { $0 } }

    func send(_ command: Command) async throws -> Reply {
        log.withLock { $0.append(command) }
        return try script(command)
    }
}
