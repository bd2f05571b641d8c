import IPCProtocol

/// What the routes and the heartbeat need from the helper: one command sent, one outcome back.
///
/// ``HelperSocketClient`` is the real one (the helper's Unix socket); the unit tests use a
/// recording fake. Routes call ``call(_:)`` with a typed request (`.instanceStatus(instance: id)`) and get its typed answer.
public protocol HelperClient: Sendable {
    /// Sends `command` and returns the helper's reply; throws ``HelperUnavailable`` when the helper
    /// cannot be reached or breaks the protocol, and the helper's ``CommandError`` when it refuses.
    func send(_ command: Command) async throws -> Reply
}

extension HelperClient {
    /// Sends `request`'s command and returns the answer its reply carries. A reply of another kind
    /// is the helper breaking the protocol: ``UnexpectedReply`` (500).
    public func call<Answer>(_ request: HelperRequest<Answer>) async throws -> Answer {
        let reply = try await send(request.command)
        guard let answer = request.answer(from: reply) else { throw UnexpectedReply(command: request.command.name) }
        return answer
    }
}

/// The helper answered a command with a reply of another kind; the front answers 500.
public struct UnexpectedReply: Error, Sendable, CustomStringConvertible {
    /// The command's short name (never its payload).
    public let command: String
    public var description: String { "unexpected reply from the helper to \(command)" }
}
