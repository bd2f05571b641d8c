import Glibc
import IPCProtocol
import LinuxSystem

/// Rates over a sliding 30-second window for `/details` (the seed's "bytes/sec, 30-second snapshot"
/// and CPU percentages), without a process per request.
///
/// A background thread samples `/proc/stat` and the amphora namespace's interface counters (over
/// rtnetlink, see ``NamespaceLinkStatistics``) every ``interval`` seconds and keeps the samples of
/// the last ``windowSeconds``. A request takes one fresh sample and compares it with the oldest one
/// in the window. Cost: one small file read and one netlink dump every 5 s.
///
/// Why netlink and not `ip -n <netns> -s -j link` on a timer: that would fork and exec a launcher
/// child (and enter the namespace) every few seconds for the agent's whole life, while the dump is
/// two syscalls from the helper's own namespace and needs no `setns`.
public final class TrafficWindow: Sendable {
    /// One sample: monotonic time, CPU ticks and link counters by name.
    struct Sample: Sendable {
        var time: UInt64
        var cpu: CPUTimes?
        var links: [String: NamespaceLinkStatistics.Counters]
    }

    public static let windowSeconds = 30.0
    public static let interval = 5.0
    /// A shorter window (right after start) gives no rate: 0 B/s, CPU since boot.
    public static let minimumWindow = 0.2

    let netns: String
    let samples = LockedValue<[Sample]>([])
    let reader: @Sendable (String) -> [NamespaceLinkStatistics.Counters]

    init(netns: String, reader: @escaping @Sendable (String) -> [NamespaceLinkStatistics.Counters]) {
        self.netns = netns
        self.reader = reader
    }

    /// For the helper: reads the namespace over rtnetlink (an absent namespace has no interfaces).
    public convenience init(netns: String) {
        self.init(netns: netns) { name in (try? NamespaceLinkStatistics.read(netns: name)) ?? [] }
    }

    /// Starts the sampling thread (once, at helper start).
    public func start() {
        record(takeSample())
        startThread { [self] in
            while true {
                usleep(UInt32(Self.interval * 1_000_000))
                record(takeSample())
            }
        }
    }

    func takeSample() -> Sample {
        var links: [String: NamespaceLinkStatistics.Counters] = [:]
        for link in reader(netns) { links[link.name] = link }
        return Sample(time: monotonicNanoseconds(), cpu: HostStatistics.currentCPU(), links: links)
    }

    func record(_ sample: Sample) {
        samples.withLock { list in
            list.append(sample)
            // Samples newer than the window plus one interval: a request always finds a baseline close to 30 s old.
            let horizon = UInt64((Self.windowSeconds + Self.interval) * 1e9)
            list.removeAll { sample.time >= $0.time && sample.time - $0.time > horizon }
        }
    }

    /// A fresh sample compared with the oldest sample at most 30 s old: the `eth*` interfaces with
    /// cumulative counters and rates, the CPU percentages, and the window length in seconds.
    public func current() -> (networks: [InterfaceTraffic], cpu: CPUTimes?, cpuPercent: CPUPercent, seconds: Double) {
        let now = takeSample()
        let baseline = samples.withLock { list in
            list.first { now.time >= $0.time && Double(now.time - $0.time) / 1e9 <= Self.windowSeconds + 0.5 }
        }
        let seconds = baseline.map { Double(now.time - $0.time) / 1e9 } ?? 0
        var networks: [InterfaceTraffic] = []
        for (name, link) in now.links.sorted(by: { $0.key < $1.key }) where name.hasPrefix("eth") {
            var tx = 0.0
            var rx = 0.0
            if seconds >= Self.minimumWindow, let old = baseline?.links[name] {
                // A counter that went backwards (the interface was recreated) counts from zero.
                tx = Double(link.txBytes >= old.txBytes ? link.txBytes - old.txBytes : link.txBytes) / seconds
                rx = Double(link.rxBytes >= old.rxBytes ? link.rxBytes - old.rxBytes : link.rxBytes) / seconds
            }
            networks.append(InterfaceTraffic(name: name, txBytes: link.txBytes, rxBytes: link.rxBytes, txRate: tx, rxRate: rx))
        }
        var percent = CPUPercent(total: 0, user: 0, system: 0, softIRQ: 0)
        if let cpu = now.cpu {
            // Until a window exists (right after start), the percentages cover the time since boot.
            let old = (seconds >= Self.minimumWindow ? baseline?.cpu : nil) ?? CPUTimes(fields: [])
            percent = HostStatistics.percent(from: old, to: cpu)
        }
        return (networks, now.cpu, percent, seconds)
    }
}
