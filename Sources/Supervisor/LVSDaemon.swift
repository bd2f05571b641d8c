import AgentConfig
import Glibc
import IPCProtocol

/// UDP listeners in direct mode: one keepalived per listener, as upstream's
/// `octavia-keepalivedlvs-<id>.service` runs it (`--log-facility=N -f CONF -p PID -r VRRP_PID -c CHECK_PID`), in the
/// foreground as the agent's child, inside the amphora namespace.
extension DaemonTable {
    func lvsLaunchSpec(_ id: ResourceID) -> (argv: [String], log: String) {
        let stem = StateLayout(basePath: config.basePath).lvsFile(StateLayout.lvsStem(id))
        return ([
            config.keepalivedCmd, "-n", "-l", "-D", KeepalivedLogFacility.argument(config), "-f", stem + ".conf", "-p", stem + ".pid", "-r", stem + ".vrrp.pid",
            "-c", stem + ".check.pid",
        ], stem + ".log")
    }

    /// Why keepalived could not balance UDP here, or nil: the kernel needs IP Virtual Server support.
    /// (The helper checks first; this keeps the agent from starting a keepalived that cannot work.)
    static func ipvsMissing() -> String? {
        var st = stat()
        if stat("/proc/net/ip_vs", &st) == 0 { return nil }
        return "The kernel has no IP Virtual Server support (IP_VS): /proc/net/ip_vs is missing"
    }
}
