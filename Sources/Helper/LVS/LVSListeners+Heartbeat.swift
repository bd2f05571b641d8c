import AgentConfig
import Glibc
import IPCProtocol
import LinuxSystem

// UDP (and SCTP) listeners in the heartbeat, as upstream's keepalivedlvs_query reports them
// (get_lvs_listeners_stats, get_lvs_listener_pool_status): every stored, enabled listener whose
// keepalived runs is OPEN; its counters and its pool's member states come from the kernel's IP
// Virtual Server table in the amphora namespace (``IPVSTable``, read over generic netlink where
// upstream runs `ipvsadm -Ln` and `ipvsadm -Ln --stats --exact`), matched against what the stored
// configuration says.

extension LVSListeners {
    /// The running, enabled UDP listeners' samples. Reads the stored configurations and keepalived's
    /// pid files, and the IPVS table only when one of them has a virtual service: no process. A
    /// failed read is an error: the heartbeat is skipped rather than wrong.
    func heartbeatSamples(ipvs: IPVSTableReader) throws(LVSError) -> [LVSListenerSample] {
        guard let dir = try directory() else { return [] }
        var running: [(ResourceID, LVSListenerLayout, Bool)] = []
        for id in try storedListeners() {
            let stem = StateLayout.lvsStem(id), name = StateLayout.lvsConfigName(id)
            guard KeepalivedProbe.isRunning(pidFile: stem + ".pid", in: dir), let text = try storedConfig(id) else { continue }
            let layout = LVSListenerLayout(config: text)
            guard !layout.listenerDisabled else { continue }
            // Configuration newer than keepalived's checker process: uploaded, not yet restarted.
            var restarting = false
            if let config = dir.modificationTime(name), let checker = dir.modificationTime(stem + ".check.pid") {
                restarting = config > checker
            }
            running.append((id, layout, restarting))
        }
        var table = IPVSTable(services: [:])
        if running.contains(where: { !$0.1.virtualEndpoints.isEmpty }) {
            do {
                table = try ipvs.read()
            } catch {
                throw .ipvsUnreadable(details: error.description)
            }
        }
        return running.map { LVSListenerSample(listener: $0.0, layout: $0.1, table: table, restarting: $0.2) }
    }
}
