import IPCProtocol

/// What ``HAProxyInstances`` needs to announce a load balancer's VIPs after haproxy starts or
/// reloads: the amphora's current topology (announcements only in SINGLE) and the announcement
/// itself (the network configurator's gratuitous ARP / unsolicited NA on the VIP's interface).
public struct VIPAnnouncer: Sendable {
    /// The amphora's topology now (it can change with `POST /topology`).
    public var topology: @Sendable () -> Topology
    /// Announces the addresses; failures are audited and otherwise ignored, as upstream does.
    public var announce: @Sendable (_ addresses: [IPAddress], _ context: AuditContext) -> Void

    public init(topology: @escaping @Sendable () -> Topology, announce: @escaping @Sendable ([IPAddress], AuditContext) -> Void) {
        self.topology = topology
        self.announce = announce
    }
}
