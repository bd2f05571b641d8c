/// Everything `GET /details` reports, for both API versions, gathered by the helper without starting
/// a process: running processes first (haproxy stats sockets, `/proc`, netlink), then the on-disk
/// package cache, then stored configuration (instance files, topology).
///
/// The front renders it: v0.1 (the seed spec: percentages, kB, rates) and 1.0 (upstream's shape:
/// raw `/proc/stat` fields, bytes, cumulative counters).
public struct AmphoraDetails: Sendable, Codable, Equatable {
    /// Hostname, amphora id and the package versions of `/info`.
    public var info: AmphoraInfo
    /// Load-balancing packages and their versions (installed ones only), for v0.1's `packages`.
    public var packages: [PackageVersion]
    /// Instances whose haproxy answers on its stats socket.
    public var haproxyCount: Int
    /// Instances with a stored configuration (v0.1 listeners), sorted.
    public var instances: [ResourceID]
    /// `frontend` names across all stored configurations (1.0 listener ids), sorted, unique.
    public var listeners: [String]
    /// Running LVS (UDP) listeners: the stored ones whose keepalived runs (no process started to count them).
    public var lvsListenerProcessCount: Int
    /// Online CPUs (`sysconf(_SC_NPROCESSORS_ONLN)`, as Python's `os.cpu_count()`).
    public var cpuCount: Int
    /// The aggregate `cpu` line of `/proc/stat`.
    public var cpu: CPUTimes
    /// CPU use over the sampling window.
    public var cpuPercent: CPUPercent
    public var memory: MemoryInfo
    public var disk: DiskUsage
    /// The three load averages of `/proc/loadavg`, as written there.
    public var load: [String]
    /// `/etc/tuned/active_profile`, trimmed, or "".
    public var activeTunedProfiles: String
    public var topology: String
    public var topologyStatus: String
    /// `eth*` interfaces of the amphora namespace, by name.
    public var networks: [InterfaceTraffic]
    /// Seconds the rates in ``networks`` and ``cpuPercent`` span (at most 30; 0 right after start).
    public var windowSeconds: Double
    /// The audit log's head when the answer was made (nil from a helper without one).
    public var auditHead: AuditHead?

    public init(
        info: AmphoraInfo, packages: [PackageVersion], haproxyCount: Int, instances: [ResourceID], listeners: [String],
        lvsListenerProcessCount: Int, cpuCount: Int, cpu: CPUTimes, cpuPercent: CPUPercent, memory: MemoryInfo, disk: DiskUsage,
        load: [String], activeTunedProfiles: String, topology: String, topologyStatus: String, networks: [InterfaceTraffic],
        windowSeconds: Double, auditHead: AuditHead? = nil
    ) {
        self.info = info
        self.packages = packages
        self.haproxyCount = haproxyCount
        self.instances = instances
        self.listeners = listeners
        self.lvsListenerProcessCount = lvsListenerProcessCount
        self.cpuCount = cpuCount
        self.cpu = cpu
        self.cpuPercent = cpuPercent
        self.memory = memory
        self.disk = disk
        self.load = load
        self.activeTunedProfiles = activeTunedProfiles
        self.topology = topology
        self.topologyStatus = topologyStatus
        self.networks = networks
        self.windowSeconds = windowSeconds
        self.auditHead = auditHead
    }
}

/// A package and its installed version (`dpkg-query` format, e.g. `2.6.12-1+deb12u1`).
public struct PackageVersion: Sendable, Codable, Equatable {
    public var name: String
    public var version: String
    public init(name: String, version: String) {
        self.name = name
        self.version = version
    }
}

/// The aggregate `cpu` line of `/proc/stat` in clock ticks, fields as the kernel writes them.
public struct CPUTimes: Sendable, Codable, Equatable {
    /// user, nice, system, idle, iowait, irq, softirq, steal, guest, guest_nice (as many as the kernel gives).
    public var fields: [UInt64]
    public init(fields: [UInt64]) { self.fields = fields }

    func field(_ index: Int) -> UInt64 { index < fields.count ? fields[index] : 0 }
    public var user: UInt64 { field(0) }
    public var nice: UInt64 { field(1) }
    public var system: UInt64 { field(2) }
    public var idle: UInt64 { field(3) }
    public var iowait: UInt64 { field(4) }
    public var irq: UInt64 { field(5) }
    public var softirq: UInt64 { field(6) }
    /// The sum of every field (upstream's `total`).
    public var total: UInt64 { fields.reduce(0, &+) }
}

/// CPU use in percent of all CPUs' time over a window.
public struct CPUPercent: Sendable, Codable, Equatable {
    /// Everything but idle and iowait.
    public var total: Double
    public var user: Double
    public var system: Double
    public var softIRQ: Double
    public init(total: Double, user: Double, system: Double, softIRQ: Double) {
        self.total = total
        self.user = user
        self.system = system
        self.softIRQ = softIRQ
    }
}

/// `/proc/meminfo` values in kB.
public struct MemoryInfo: Sendable, Codable, Equatable {
    public var total: UInt64
    public var free: UInt64
    public var available: UInt64
    public var buffers: UInt64
    public var cached: UInt64
    public var swapCached: UInt64
    /// SwapTotal − SwapFree.
    public var swapUsed: UInt64
    public var shared: UInt64
    public var slab: UInt64
    public var committedAS: UInt64

    public init(
        total: UInt64, free: UInt64, available: UInt64, buffers: UInt64, cached: UInt64, swapCached: UInt64, swapUsed: UInt64,
        shared: UInt64, slab: UInt64, committedAS: UInt64
    ) {
        self.total = total
        self.free = free
        self.available = available
        self.buffers = buffers
        self.cached = cached
        self.swapCached = swapCached
        self.swapUsed = swapUsed
        self.shared = shared
        self.slab = slab
        self.committedAS = committedAS
    }
}

/// The root filesystem (`statvfs("/")`), in bytes.
public struct DiskUsage: Sendable, Codable, Equatable {
    /// (f_blocks − f_bfree) × f_frsize.
    public var usedBytes: UInt64
    /// f_bavail × f_frsize.
    public var availableBytes: UInt64
    public init(usedBytes: UInt64, availableBytes: UInt64) {
        self.usedBytes = usedBytes
        self.availableBytes = availableBytes
    }
}

/// One interface of the amphora namespace: cumulative counters (IFLA_STATS64) and rates over the window.
public struct InterfaceTraffic: Sendable, Codable, Equatable {
    public var name: String
    public var txBytes: UInt64
    public var rxBytes: UInt64
    /// Bytes per second over ``AmphoraDetails/windowSeconds``.
    public var txRate: Double
    public var rxRate: Double
    public init(name: String, txBytes: UInt64, rxBytes: UInt64, txRate: Double, rxRate: Double) {
        self.name = name
        self.txBytes = txBytes
        self.rxBytes = rxBytes
        self.txRate = txRate
        self.rxRate = rxRate
    }
}

/// What one heartbeat reports, already reduced by the helper to what the message needs, with the
/// counters turned into deltas since the previous heartbeat (persisted, so a restart of either side
/// never reports a counter twice).
public struct HeartbeatReport: Sendable, Codable, Equatable {
    /// Whether keepalived is configured, and if so whether it runs.
    public enum Keepalived: String, Sendable, Codable {
        /// No VRRP configuration: send.
        case notConfigured = "not-configured"
        /// Configured and running: send.
        case running
        /// Configured but not running: skip this heartbeat (upstream rule); no counters were consumed.
        case stopped
    }

    public var keepalived: Keepalived
    /// One entry per haproxy `FRONTEND` of every running instance.
    public var listeners: [ListenerHeartbeat]
    /// One entry per haproxy `BACKEND` (keyed by the backend name, `<pool_id>:<listener_id>`).
    public var pools: [PoolHeartbeat]
    /// The audit log's head, sent as the heartbeat's `audit_head` (an off-box anchor).
    public var auditHead: AuditHead?

    /// True when the heartbeat must not be sent.
    public var skip: Bool { keepalived == .stopped }

    public init(keepalived: Keepalived, listeners: [ListenerHeartbeat], pools: [PoolHeartbeat], auditHead: AuditHead? = nil) {
        self.auditHead = auditHead
        self.keepalived = keepalived
        self.listeners = listeners
        self.pools = pools
    }
}

/// A listener's status (`OPEN`, `FULL`, ...) and its statistics: deltas except ``conns``.
public struct ListenerHeartbeat: Sendable, Codable, Equatable {
    public var id: String
    public var status: String
    /// `bout` delta.
    public var tx: UInt64
    /// `bin` delta.
    public var rx: UInt64
    /// `scur`, the current sessions (absolute).
    public var conns: UInt64
    /// `stot` delta.
    public var totconns: UInt64
    /// `ereq` delta.
    public var ereq: UInt64

    public init(id: String, status: String, tx: UInt64, rx: UInt64, conns: UInt64, totconns: UInt64, ereq: UInt64) {
        self.id = id
        self.status = status
        self.tx = tx
        self.rx = rx
        self.conns = conns
        self.totconns = totconns
        self.ereq = ereq
    }
}

/// A pool's status and its members' (`UP`, `DOWN`, `DRAIN` for UP with weight 0, `MAINT`, `no check`, ...).
public struct PoolHeartbeat: Sendable, Codable, Equatable {
    /// The haproxy backend name: `<pool_id>:<listener_id>` in the controller's configurations.
    public var key: String
    public var status: String
    public var members: [MemberStatus]
    public init(key: String, status: String, members: [MemberStatus]) {
        self.key = key
        self.status = status
        self.members = members
    }
}
