import Foundation
import Glibc
import IPCProtocol
import Testing
@testable import Helper
@testable import LinuxSystem
@testable import ProgramLauncher

/// The root helper talks only to the agent's own stats socket of an instance, never to the path a
/// stored haproxy.cfg names (one written by an older agent may say `stats socket /any/unix.sock`).
@Suite("haproxy stats socket path")
struct StatsSocketPathTests {
    /// A listening Unix socket at `path`; nothing accepts, so a connection stays pending.
    func listen(at path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        try #require(fd >= 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        try #require(bytes.count < MemoryLayout.size(ofValue: address.sun_path))
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0)
        try #require(Glibc.listen(fd, 4) == 0)
        return fd
    }

    @Test("review L2: a stored configuration's foreign stats socket is not connected to")
    func storedForeignStatsSocketIsNotConnectedTo() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("amp-l2-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let id = "6f1c2b4e-0d7a-4e3b-9c1d-2e3f4a5b6c7d"
        let base = root + "/base"
        try FileManager.default.createDirectory(atPath: base + "/" + id, withIntermediateDirectories: true)
        let foreign = root + "/foreign.sock"
        let fd = try listen(at: foreign)
        defer { close(fd) }
        try "global\n    stats socket \(foreign) mode 0600 level admin\n".write(toFile: base + "/\(id)/haproxy.cfg", atomically: true, encoding: .utf8)

        // The agent's own socket (<base>/<id>.sock) does not exist: the check fails without asking the foreign one.
        #expect(VRRPCheck.run(basePath: base) == 1)
        let pending = accept(fd, nil, nil)
        if pending >= 0 { close(pending) }
        #expect(pending < 0, "the helper connected to the socket the stored file names")
    }

    @Test("review L2: status and the heartbeat use the agent's own socket, not the stored file's")
    func instanceStatusIgnoresStoredStatsSocket() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("amp-l2-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let id = try ResourceID(validating: "6f1c2b4e-0d7a-4e3b-9c1d-2e3f4a5b6c7d")
        let base = root + "/base"
        try FileManager.default.createDirectory(atPath: base + "/\(id)", withIntermediateDirectories: true)
        let foreign = root + "/foreign.sock"
        let fd = try listen(at: foreign)
        defer { close(fd) }
        try "global\n    stats socket \(foreign) mode 0600 level admin\nfrontend f\n    mode http\n".write(
            toFile: base + "/\(id)/haproxy.cfg", atomically: true, encoding: .utf8)

        // systemctl is-active answers "active": the instance counts as running and its socket is asked.
        let runner = RecordingRunner(stdout: "active\n")
        let instances = HAProxyInstances(
            base: try SafeDirectory.open(base, create: false),
            paths: ProgramPaths(haproxy: "/usr/sbin/haproxy", keepalived: "/usr/sbin/keepalived", basePath: base),
            baseCertDir: root + "/certs", runner: runner, services: SystemdServiceManager(runner: runner))
        let context = AuditContext.forTests()
        let status = try instances.status(id, context: context)
        #expect(status.summary.state == .error)
        #expect(try instances.configuredInstances().map(\.statsSocket) == ["\(base)/\(id).sock"])
        let pending = accept(fd, nil, nil)
        if pending >= 0 { close(pending) }
        #expect(pending < 0, "the helper connected to the socket the stored file names")
    }
}
