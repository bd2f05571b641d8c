import Glibc
import IPCProtocol
import LinuxSystem

extension HAProxyInstances {
    /// An instance with a stored configuration: its stats socket and frontend names.
    struct Configured {
        var id: ResourceID
        var statsSocket: String
        var frontends: [String]
    }

    /// Every instance with a stored configuration, in id order (read from `base_path`, no process).
    func configuredInstances() throws(HAProxyError) -> [Configured] {
        var result: [Configured] = []
        for id in try instanceDirectoryIDs() {
            guard let text = try? storedConfig(id) else { continue }
            result.append(Configured(
                id: id, statsSocket: statsSocket(id),
                frontends: HAProxyConfigText.frontends(in: text).map(\.name)))
        }
        return result
    }
}
