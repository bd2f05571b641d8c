import Glibc
import IPCProtocol
import LinuxSystem
import Synchronization

extension HAProxyInstances {
    /// An instance with a stored configuration: its stats socket and frontend names.
    struct Configured {
        var id: ResourceID
        var statsSocket: String
        var frontends: [String]
    }

    /// Every instance with a stored configuration, in id order (read from `base_path`, no process).
    func configuredInstances() throws(HAProxyError) -> [Configured] {
        let names: [String]
        do {
            names = try base.entries()
        } catch {
            throw .storage(error)
        }
        var result: [Configured] = []
        for name in names {
            guard let id = try? ResourceID(validating: name), let text = try? storedConfig(id) else { continue }
            result.append(Configured(
                id: id, statsSocket: statsSocket(id),
                frontends: HAProxyConfigText.frontends(in: text).map(\.name)))
        }
        return result
    }
}
