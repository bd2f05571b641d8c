import Foundation
import IPCProtocol
import LinuxSystem
import ProgramLauncher

@testable import Helper

/// What the unit suites of ``HAProxyInstances`` share: one load balancer, its amphora, Octavia's
/// rendering of its configuration, and instances on a temporary base directory.
protocol HAProxyInstanceSuite {
    /// The context the suite's commands are recorded under.
    var context: AuditContext { get }
}

extension HAProxyInstanceSuite {
    /// The load balancer (``HAProxyConfigPolicyTests/lb``).
    var id: ResourceID { try! ResourceID(validating: HAProxyConfigPolicyTests.lb) }
    /// The amphora the uploads name.
    var amphora: ResourceID { try! ResourceID(validating: "7a1c0b4e-2f4d-4e57-9c3e-0c8d1b2a3f40") }

    /// What Octavia renders, for this base path.
    func octavia(_ base: String) -> String { HAProxyConfigPolicyTests.octavia.replacingOccurrences(of: "/var/lib/octavia", with: base) }

    /// An upload of `text` for the load balancer.
    func upload(_ text: String) -> HAProxyConfigUpload { HAProxyConfigUpload(instance: id, amphoraID: amphora, config: text) }

    /// Instances on `base` (certificates under `<base>/certs`, created here) whose commands run
    /// through `runner` and whose units `services` manages (systemd through `runner` when nil).
    func makeInstances(
        on base: String, runner: RecordingRunner, services: (any ServiceManager)? = nil,
        reloadRetry: ReloadRetry = ReloadRetry(), announcer: VIPAnnouncer? = nil
    ) throws -> HAProxyInstances {
        try FileManager.default.createDirectory(atPath: base + "/certs", withIntermediateDirectories: true)
        return HAProxyInstances(
            base: try SafeDirectory.open(base, create: false),
            paths: ProgramPaths(haproxy: "/usr/sbin/haproxy", keepalived: "/usr/sbin/keepalived", basePath: base, baseCertDir: base + "/certs"),
            baseCertDir: base + "/certs", runner: runner, services: services ?? SystemdServiceManager(runner: runner),
            reloadRetry: reloadRetry, announcer: announcer)
    }
}
