import IPCProtocol

/// Why `/details` or the heartbeat's data could not be produced.
public enum ReportingError: Error, Sendable {
    /// The haproxy instances could not be listed.
    case haproxy(HAProxyError)
    /// The UDP listeners could not be read.
    case lvs(LVSError)
    /// The heartbeat counters could not be stored (the next heartbeat reports these bytes again).
    case countersNotStored(details: String)
}
