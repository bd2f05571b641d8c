import IPCProtocol
import LinuxSystem
import Synchronization

/// Announces a load balancer's VIPs after haproxy starts or reloads: the amphora's current topology
/// decides (announcements only in SINGLE; keepalived announces in ACTIVE_STANDBY), `announce` sends
/// them (the network configurator's gratuitous ARP / unsolicited NA on the VIP's interface).
///
/// Upstream sends one packet from Python, which costs nothing; `arping -U -c 2 -w 2` takes two
/// seconds. So the announcement runs on a background thread after the answer, one at a time:
/// addresses requested while one runs are sent together right after it, so at most one launcher is
/// ever busy with it and a burst of reloads costs one more announcement, not one each.
public final class VIPAnnouncer: Sendable {
    /// The amphora's topology now (it can change with `POST /topology`).
    let topology: @Sendable () -> Topology
    /// Sends the announcements; failures are audited and otherwise ignored, as upstream does.
    let announce: @Sendable (_ addresses: [IPAddress], _ context: AuditContext) -> Void
    /// Addresses waiting for the worker, the context of the latest request, and whether the worker runs.
    let pending = Mutex<(addresses: [IPAddress], context: AuditContext?, running: Bool)>(([], nil, false))

    public init(topology: @escaping @Sendable () -> Topology, announce: @escaping @Sendable ([IPAddress], AuditContext) -> Void) {
        self.topology = topology
        self.announce = announce
    }

    /// Queues `addresses` for announcement (in SINGLE topology only) and returns at once.
    func request(_ addresses: [IPAddress], context: AuditContext) {
        guard !addresses.isEmpty, topology() == .single else { return }
        let startWorker = pending.withLock { state -> Bool in
            var queued = Set(state.addresses)
            for address in addresses where queued.insert(address).inserted { state.addresses.append(address) }
            state.context = context
            if state.running { return false }
            state.running = true
            return true
        }
        if startWorker { startThread { [self] in drain() } }
    }

    /// Sends what is pending until nothing is.
    func drain() {
        while true {
            let (batch, context) = pending.withLock { state -> ([IPAddress], AuditContext?) in
                let batch = state.addresses
                state.addresses = []
                if batch.isEmpty { state.running = false }
                return (batch, state.context)
            }
            guard !batch.isEmpty, let context else { return }
            announce(batch, context)
        }
    }
}
