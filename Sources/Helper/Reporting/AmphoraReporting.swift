import IPCProtocol
import LinuxSystem

/// What the controller learns about the amphora: `/details`, the heartbeat's data and the agent
/// configuration update. No command here starts a process.
public final class AmphoraReporting: Sendable {
    let info: AmphoraInfo
    let instances: HAProxyInstances
    let traffic: TrafficWindow
    let topology: TopologySource
    public let heartbeat: HeartbeatStats
    public let configuration: AgentConfigStore
    /// The host name `/details` reports, asked at every request (it may change while the agent runs).
    let hostname: @Sendable () -> String

    public init(
        info: AmphoraInfo, instances: HAProxyInstances, traffic: TrafficWindow, topology: TopologySource, heartbeat: HeartbeatStats,
        configuration: AgentConfigStore, hostname: @escaping @Sendable () -> String = { hostName() }
    ) {
        self.hostname = hostname
        self.info = info
        self.instances = instances
        self.traffic = traffic
        self.topology = topology
        self.heartbeat = heartbeat
        self.configuration = configuration
    }

    /// Everything `/details` reports: running processes first (stats sockets, `/proc`, netlink), then
    /// the on-disk package cache (``info``), then stored configuration (instance files, topology).
    public func details() throws(ReportingError) -> AmphoraDetails {
        let configured: [HAProxyInstances.Configured]
        do {
            configured = try instances.configuredInstances()
        } catch {
            throw .haproxy(error)
        }
        let running = configured.filter { HAProxyStatsSocket.isAnswering($0.statsSocket, timeoutSeconds: 1) }.count
        let window = traffic.current()
        let (topologyName, topologyStatus) = topology.current()
        var current = info
        current.hostname = hostname()
        let packages = [("haproxy", info.haproxyVersion), ("keepalived", info.keepalivedVersion), ("ipvsadm", info.ipvsadmVersion)]
            .compactMap { name, version in version.map { PackageVersion(name: name, version: $0) } }
        return AmphoraDetails(
            info: current, packages: packages, haproxyCount: running, instances: configured.map(\.id),
            listeners: Array(Set(configured.flatMap(\.frontends))).sorted(), lvsListenerProcessCount: 0,
            cpuCount: HostStatistics.cpuCount(), cpu: window.cpu ?? CPUTimes(fields: []), cpuPercent: window.cpuPercent,
            memory: HostStatistics.currentMemory(), disk: HostStatistics.rootDisk(), load: HostStatistics.currentLoad(),
            activeTunedProfiles: HostStatistics.activeTunedProfiles(), topology: topologyName, topologyStatus: topologyStatus,
            networks: window.networks, windowSeconds: window.seconds)
    }
}
