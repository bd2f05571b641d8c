import IPCProtocol
import LinuxSystem

/// Announces a load balancer's VIPs after haproxy starts or reloads: the amphora's current topology
/// decides (announcements only in SINGLE; keepalived announces in ACTIVE_STANDBY), `announce` sends
/// them (the network configurator's gratuitous ARP / unsolicited NA on the VIP's interface).
///
/// Upstream sends one packet from Python, which costs nothing; `arping -U -c 2 -w 2` takes two
/// seconds. So the announcement runs on a background thread after the answer, one at a time:
/// addresses requested while one runs are sent right after it, each once, so at most one launcher
/// is ever busy with it and a burst of reloads of one load balancer costs one more announcement, not
/// one each. Each address is announced under the context of the request that first asked for it
/// (the audit records of the `arping`/`na6` runs name that request).
public final class VIPAnnouncer: Sendable {
    /// The amphora's topology now (it can change with `POST /topology`).
    let topology: @Sendable () -> Topology
    /// Sends the announcements; failures are audited and otherwise ignored, as upstream does.
    let announce: @Sendable (_ addresses: [IPAddress], _ context: AuditContext) -> Void
    /// Addresses waiting for the worker, each with the request that asked for it, and whether the worker runs.
    let pending = LockedValue<(batches: [(context: AuditContext, addresses: [IPAddress])], running: Bool)>(([], false))

    public init(topology: @escaping @Sendable () -> Topology, announce: @escaping @Sendable ([IPAddress], AuditContext) -> Void) {
        self.topology = topology
        self.announce = announce
    }

    /// Queues `addresses` for announcement (in SINGLE topology only) and returns at once.
    func request(_ addresses: [IPAddress], context: AuditContext) {
        guard !addresses.isEmpty, topology() == .single else { return }
        let startWorker = pending.withLock { state -> Bool in
            var queued = Set(state.batches.flatMap(\.addresses))
            let new = addresses.filter { queued.insert($0).inserted }
            if !new.isEmpty { state.batches.append((context, new)) }
            if state.running { return false }
            state.running = true
            return true
        }
        if startWorker { startThread { [self] in drain() } }
    }

    /// Sends what is pending until nothing is, one batch per asking request.
    func drain() {
        while true {
            let batches = pending.withLock { state -> [(context: AuditContext, addresses: [IPAddress])] in
                let batches = state.batches
                state.batches = []
                if batches.isEmpty { state.running = false }
                return batches
            }
            if batches.isEmpty { return }
            for batch in batches {
                announce(batch.addresses, batch.context)
                // Announced after the asking command's reply: its outcomes are made durable here.
                try? batch.context.log.sync()
            }
        }
    }
}
