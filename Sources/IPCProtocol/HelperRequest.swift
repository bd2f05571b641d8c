/// A command tied to the one kind of reply that answers it: the typed layer over ``Command`` and ``Reply``.
///
/// The wire stays the closed, versioned ``Command`` and ``Reply`` enums, decoded through the
/// validating initialisers; a request only pairs a command with its ``ReplyCase``. The front calls
/// `helper.call(.instanceStatus(instance: id))` and gets an ``InstanceStatus`` with no enum matching
/// of its own; the helper answers through the same request (``reply(_:)``), so the two sides cannot
/// disagree on which reply answers which command. The requests are in `HelperRequests.swift`, one
/// per ``Command`` case and named after it.
public struct HelperRequest<Answer: Sendable & Equatable>: Sendable {
    /// The command sent on the wire.
    public let command: Command
    /// The reply case that answers it.
    public let answeredBy: ReplyCase<Answer>

    public init(_ command: Command, answeredBy: ReplyCase<Answer>) {
        self.command = command
        self.answeredBy = answeredBy
    }

    /// The reply that carries `answer` (the helper answers with this).
    public func reply(_ answer: Answer) -> Reply { answeredBy.reply(answer) }

    /// The answer `reply` carries; nil when it is another kind of reply (the helper broke the protocol).
    public func answer(from reply: Reply) -> Answer? { answeredBy.answer(reply) }
}
