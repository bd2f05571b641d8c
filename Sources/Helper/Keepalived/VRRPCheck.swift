import AgentConfig
import Glibc
import IPCProtocol
import LinuxSystem

/// The check keepalived runs: every configured haproxy instance answers on its stats socket
/// (`show stat -1 -1 -1`, as upstream's haproxy-vrrp-check asks). Exit status 0 when all answer.
public enum VRRPCheck {
    public static func run(basePath: String) -> Int32 {
        guard let base = try? SafeDirectory.open(basePath, create: false), let names = try? base.entries() else { return 1 }
        for name in names {
            guard let id = try? ResourceID(validating: name), let dir = try? base.subdirectory(name, create: false),
                (try? dir.read(StateLayout.HAProxyFile.config)).flatMap({ $0 }) != nil
            else { continue }
            // Always the agent's own socket (the one the policy forces), never a path from the stored file.
            let socket = StateLayout(basePath: basePath).statsSocket(id)
            guard (try? HAProxyStatsSocket.query(socket, "show stat -1 -1 -1", timeoutSeconds: 2)) != nil else { return 1 }
        }
        return 0
    }
}
