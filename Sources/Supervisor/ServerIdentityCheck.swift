import CLinuxShim
import Glibc
import IPCProtocol
import LinuxSystem

/// The agent's early check of its TLS identity (`agent_server_cert`, `agent_server_ca`), so that a
/// bad certificate is one line before anything starts. The certificate code belongs to the helper,
/// not to the supervisor: it runs `amphora-helper check-identity` and reports the helper's line.
enum ServerIdentityCheck {
    /// A check running in the background (the agent sets up its namespace meanwhile).
    struct Running {
        let pid: pid_t
        let output: Int32

        /// Waits for the check: the problem (one line), or nil when the identity is usable.
        func problem() -> String? {
            defer { close(output) }
            let bytes = (try? readAll(output, limit: 4096).bytes) ?? []
            var status: Int32 = 0
            _ = try? retryingSyscall("waitpid") { waitpid(pid, &status, 0) }
            guard status != 0 else { return nil }
            let line = String(decoding: bytes, as: UTF8.self).trimmingASCIIWhitespace()
            return line.isEmpty ? "cannot check the server identity (\(Supervisor.describe(status)))" : line
        }
    }

    /// Starts `amphora-helper check-identity` on `configPath`; a failure to start it is the problem.
    static func start(helper: Int32, configPath: String) -> Result<Running, ServerIdentityProblem> {
        var pipe: [Int32] = [-1, -1]
        guard cshim_pipe2_cloexec(&pipe) == 0 else { return .failure(ServerIdentityProblem(line: "pipe: \(String(cString: strerror(errno)))")) }
        var spawn = SpawnAttributes(
            executable: .descriptor(helper), arguments: ["amphora-helper", "check-identity", "--config-file", configPath],
            environment: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "SWIFT_BACKTRACE=enable=no", "LC_ALL=C"])
        spawn.standardError = pipe[1]
        spawn.dieWithParent = true
        defer { close(pipe[1]) }
        do {
            return .success(Running(pid: try spawn.spawn(), output: pipe[0]))
        } catch {
            close(pipe[0])
            return .failure(ServerIdentityProblem(line: "cannot check the server identity: \(String(cString: strerror(error.errno)))"))
        }
    }
}

/// Why the identity check could not run or refused the identity: one line for the operator.
struct ServerIdentityProblem: Error {
    let line: String
}
