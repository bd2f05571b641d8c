/// A command tied to the one kind of reply that answers it: the typed layer over ``Command`` and ``Reply``.
///
/// The wire stays the closed, versioned ``Command`` and ``Reply`` enums, decoded through the
/// validating initialisers; a request type only pairs a command with its reply case. The front calls
/// `helper.call(InstanceStatusRequest(instance: id))` and gets an ``InstanceStatus``, with no enum
/// matching of its own; the helper builds the reply through the same type (``reply(_:)``), so the two
/// sides cannot disagree on which case answers which command.
public protocol HelperRequest: Sendable {
    /// What a successful reply carries.
    associatedtype Answer: Sendable & Equatable
    /// The command sent on the wire.
    var command: Command { get }
    /// The reply that carries `answer` (the helper answers with this).
    static func reply(_ answer: Answer) -> Reply
    /// The answer a reply carries; nil when the reply is of another kind (the helper broke the protocol).
    static func answer(from reply: Reply) -> Answer?
}

/// An interface a plug command configured.
public struct PluggedInterface: Sendable, Equatable {
    /// The interface name in the amphora namespace.
    public var name: String
    /// True when the port was already plugged and was reconfigured.
    public var updated: Bool
    public init(name: String, updated: Bool) {
        self.name = name
        self.updated = updated
    }
}
