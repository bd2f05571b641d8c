import Foundation

/// One of Octavia's haproxy renderers (Tests/Conformance/render_*haproxy.py, run with the venv's
/// python) with the arguments they all take (haproxy_renderer.py): the load balancer and the agent's
/// base path, certificate directory and amphora id.
enum HAProxyRenderer {
    /// Runs `script` for `lb` as `agent` stores it, then `arguments` (the renderer's own options and
    /// its output); the result is the caller's to check.
    static func run(_ script: String, lb: String, for agent: AgentHarness, _ arguments: [String]) throws -> Shell.Result {
        let venv = try Shell.run("/bin/bash", [ConformanceTests.ensureVenv]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return try Shell.run(venv + "/bin/python", [
            script, "--lb", lb, "--base-path", agent.directory + "/base", "--cert-dir", agent.certificateDirectory,
            "--amphora", AgentHarness.amphoraID,
        ] + arguments, check: false)
    }
}
