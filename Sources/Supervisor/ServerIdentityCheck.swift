import CLinuxShim
import Glibc
import IPCProtocol
import LinuxSystem

/// The agent's early check of its TLS identity (`agent_server_cert`, `agent_server_ca`), so that a
/// bad certificate is one line before anything starts. The certificate code belongs to the helper,
/// not to the supervisor: it runs `amphora-helper check-identity` and reports the helper's line.
enum ServerIdentityCheck {
    /// The problem with the identity `configPath` names (one line), or nil when it is usable.
    static func problem(helper: Int32, configPath: String) -> String? {
        var pipe: [Int32] = [-1, -1]
        guard cshim_pipe2_cloexec(&pipe) == 0 else { return "pipe: \(String(cString: strerror(errno)))" }
        defer { close(pipe[0]) }
        var spawn = SpawnAttributes(
            executable: .descriptor(helper), arguments: ["amphora-helper", "check-identity", "--config-file", configPath],
            environment: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "SWIFT_BACKTRACE=enable=no", "LC_ALL=C"])
        spawn.standardError = pipe[1]
        spawn.dieWithParent = true
        let pid: pid_t
        do {
            defer { close(pipe[1]) }
            pid = try spawn.spawn()
        } catch {
            return "cannot check the server identity: \(String(cString: strerror(error.errno)))"
        }
        let output = (try? readAll(pipe[0], limit: 4096).bytes) ?? []
        var status: Int32 = 0
        _ = try? retryingSyscall("waitpid") { waitpid(pid, &status, 0) }
        guard status != 0 else { return nil }
        let line = String(decoding: output, as: UTF8.self).trimmingASCIIWhitespace()
        return line.isEmpty ? "cannot check the server identity (\(Supervisor.describe(status)))" : line
    }
}
