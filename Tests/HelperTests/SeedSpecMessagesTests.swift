import Foundation
import IPCProtocol
import LinuxSystem
import ProgramLauncher
import Testing

@testable import Helper

/// The seed spec's (haproxy-amphora-api-v0.1.rst) wording of failures the real daemons rarely give:
/// a service manager that fails to stop haproxy or keepalived, a keepalived configuration that
/// cannot be stored. The daemons are replaced by a service manager that fails on demand.
@Suite("seed spec messages", .serialized)
struct SeedSpecMessagesTests {
    /// Reports every unit running; stopping one fails as the spec's examples do.
    struct FailingStop: ServiceManager {
        func perform(_ operation: DaemonOperation, _ unit: DaemonUnit, context: AuditContext) throws(ServiceError) -> DaemonStatus {
            guard operation == .stop else { return DaemonStatus(running: true, pid: 3352) }
            switch unit {
            case .keepalived: throw .failed(.stop, unit, details: "keeepalived process with PID 3352 not found")
            default: throw .failed(.stop, unit, details: "haproxy process with PID 3352 not found")
            }
        }
    }

    final class Scratch {
        let path: String
        let base: SafeDirectory

        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("seedmsg-\(UUID().uuidString.prefix(8))").path
            base = try SafeDirectory.open(path, create: true)
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    let context = AuditContext.forTests()

    /// The wire error a failing domain call becomes at the helper's boundary.
    func wireError(_ body: () throws -> Void) throws -> CommandError {
        let error = try #require(throws: (any Error).self) { try body() }
        return CommandError(mapping: error)
    }
    let id = try! ResourceID(validating: "04bff5c3-5862-4a13-b9e3-9b440d0ed50a")

    @Test("stopping (or deleting) a listener whose haproxy will not stop: 500 \"Error stopping haproxy\" with the reason")
    func errorStoppingHAProxy() throws {
        let scratch = try Scratch()
        let directory = try #require(try scratch.base.subdirectory(id.description, create: true))
        try directory.writeAtomically("haproxy.cfg", Array("global\n".utf8))
        let instances = HAProxyInstances(
            base: scratch.base, paths: ProgramPaths(haproxy: "/usr/sbin/haproxy", keepalived: "/usr/sbin/keepalived", basePath: scratch.path),
            baseCertDir: scratch.path + "/certs", runner: RecordingRunner(), services: FailingStop())
        let attempts: [() throws -> Void] = [
            { _ = try instances.perform(.stop, on: id, context: context) }, { _ = try instances.delete(id, context: context) },
        ]
        for attempt in attempts {
            let error = try wireError(attempt)
            #expect(error.code == .internalError)
            #expect(error.message == "Error stopping haproxy")
            #expect(error.details == "haproxy process with PID 3352 not found")
        }
    }

    func topology(_ scratch: Scratch) throws -> TopologyManager {
        let runner = RecordingRunner()
        return TopologyManager(
            base: scratch.base, basePath: scratch.path, runner: runner, services: FailingStop(),
            network: NetworkConfigurator(
                netns: try InterfaceName(validating: "amphora-haproxy"), base: scratch.base, runner: runner, activeStandby: true),
            audit: try AuditLog(path: scratch.path + "/audit.jsonl"), helperExecutable: "/usr/bin/true",
            amphoraID: try ResourceID(validating: "7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b"), configuredTopology: "ACTIVE_STANDBY")
    }

    @Test("keepalived that will not stop: \"Failed to stop keepalived service: <reason>\"")
    func failedToStopKeepalived() throws {
        let scratch = try Scratch()
        let error = try wireError { _ = try topology(scratch).perform(.stop, context: context) }
        #expect(error.code == .internalError)
        #expect(error.message == "Failed to stop keepalived service: keeepalived process with PID 3352 not found")
        #expect(error.details == "keeepalived process with PID 3352 not found")
    }

    @Test("a keepalived configuration that cannot be stored: 500 \"Failed to upload keepalived configuration.\"")
    func failedToUploadKeepalived() throws {
        let scratch = try Scratch()
        // The VRRP directory cannot be created: a file is in its place.
        try scratch.base.writeAtomically("vrrp", Array("not a directory".utf8))
        let text = KeepalivedPolicyTests.octaviaVRRP.replacingOccurrences(of: "/var/lib/octavia", with: scratch.path)
        let error = try wireError { _ = try topology(scratch).upload(text, context: context) }
        #expect(error.code == .internalError)
        #expect(error.message == "Failed to upload keepalived configuration.")
        #expect(error.details?.isEmpty == false)
        // A refused text is still the client's error (400), not a failed upload.
        let refused = try wireError { _ = try topology(scratch).upload("vrrp_script x {\n script /bin/sh\n}\n", context: context) }
        #expect(refused.code == .badRequest)
    }
}
