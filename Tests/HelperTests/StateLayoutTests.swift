import AgentConfig
import Testing

/// Every path of the agent's state, as the helper, the launcher and the supervisor use them.
@Suite("state layout")
struct StateLayoutTests {
    let layout = StateLayout(basePath: "/var/lib/octavia")
    let id = "7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b"

    @Test("haproxy: the instance directory, its files, and the stats socket beside it")
    func haproxy() {
        #expect(layout.instanceDirectory(id) == "/var/lib/octavia/\(id)")
        #expect(layout.haproxyConfig(id) == "/var/lib/octavia/\(id)/haproxy.cfg")
        #expect(layout.haproxyPIDFile(id) == "/var/lib/octavia/\(id)/\(id).pid")
        #expect(layout.haproxyLog(id) == "/var/lib/octavia/\(id)/haproxy.log")
        #expect(layout.serversState(id) == "/var/lib/octavia/\(id)/servers-state")
        #expect(layout.statsSocket(id) == "/var/lib/octavia/\(id).sock")
        #expect(layout.userGroupFile == "/var/lib/octavia/haproxy-default-user-group.conf")
        #expect(StateLayout.HAProxyFile.checkedDigest == "haproxy.cfg.checked")
    }

    @Test("candidates: <name>.new, and <name>.new-failed when the check refused them")
    func candidates() {
        #expect(StateLayout.candidate("haproxy.cfg") == "haproxy.cfg.new")
        #expect(StateLayout.failed("haproxy.cfg") == "haproxy.cfg.new-failed")
    }

    @Test("keepalived: vrrp/ for the amphora's VRRP, lvs/ for each UDP listener")
    func keepalived() {
        #expect(layout.vrrpFile(StateLayout.VRRPFile.config) == "/var/lib/octavia/vrrp/octavia-keepalived.conf")
        #expect(layout.vrrpFile(StateLayout.VRRPFile.checkScript) == "/var/lib/octavia/vrrp/check_script.sh")
        #expect(layout.lvsConfig(id) == "/var/lib/octavia/lvs/octavia-keepalivedlvs-\(id).conf")
        #expect(StateLayout.lvsRuntimeSuffixes.map { StateLayout.lvsStem(id) + $0 } == [
            "octavia-keepalivedlvs-\(id).pid", "octavia-keepalivedlvs-\(id).vrrp.pid", "octavia-keepalivedlvs-\(id).check.pid",
            "octavia-keepalivedlvs-\(id).log",
        ])
    }

    @Test("records keep upstream's names")
    func records() {
        #expect(StateLayout.topologyFile == "topology.json")
        #expect(StateLayout.pluggedInterfacesFile == "plugged_interfaces.json")
        #expect(layout.nftablesRules == "/var/lib/octavia/nftables-vip.rules")
        #expect(StateLayout.heartbeatCountersFile == "stats_counters.json")
    }
}
