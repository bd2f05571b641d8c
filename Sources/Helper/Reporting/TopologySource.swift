import IPCProtocol

/// Where `/details` takes the topology from: ``HelperMain`` reads the topology manager's state;
/// ``single`` (SINGLE/OK) is the fixed source for an amphora without topology state (and for tests).
public struct TopologySource: Sendable {
    /// The topology (`SINGLE`, `ACTIVE_STANDBY`) and its status (`OK`, `TOPOLOGY-CHANGE`).
    public let current: @Sendable () -> (topology: String, status: String)
    public init(current: @escaping @Sendable () -> (topology: String, status: String)) { self.current = current }

    public static let single = TopologySource { ("SINGLE", "OK") }
}
