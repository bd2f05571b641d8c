import Foundation
import Glibc
import IPCProtocol
import LinuxSystem
import ProgramLauncher
import Testing

@testable import Helper

/// The certificate store on a real memory filesystem (`/dev/shm` is a tmpfs), and its refusal of
/// any other filesystem. No haproxy runs: the recording runner answers `systemctl is-active`.
@Suite("certificate store")
struct CertificateStoreTests {
    let loadBalancer = try! ResourceID(validating: "7b8c5e4e-4a3b-4f7e-9a3e-0c1d2e3f4a5b")
    let context = AuditContext.forTests()

    /// A store whose `base_cert_dir` is a fresh directory under `parent`; everything is removed afterwards.
    func withStore(on parent: String, _ body: (CertificateStore, String) throws -> Void) throws {
        try withTemporaryDirectory("amp-certs", under: parent) { root in
            try FileManager.default.createDirectory(atPath: root + "/base", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: root + "/certs", withIntermediateDirectories: true)
            let runner = RecordingRunner(stdout: "inactive\n")
            let instances = HAProxyInstances(
                base: try SafeDirectory.open(root + "/base", create: false),
                paths: ProgramPaths(haproxy: "/usr/sbin/haproxy", keepalived: "/usr/sbin/keepalived", basePath: root + "/base"),
                baseCertDir: root + "/certs", runner: runner, services: SystemdServiceManager(runner: runner))
            let store = CertificateStore(certDirectory: root + "/certs", instances: instances, audit: try AuditLog(path: root + "/audit.log"))
            try body(store, root + "/certs")
        }
    }

    func upload(_ content: String, file: String = "list.pem", scope: CertificateScope = .loadBalancer) throws -> CertificateUpload {
        CertificateUpload(instance: loadBalancer, file: try CertificateFileName(validating: file), content: content, scope: scope)
    }


    @Test("a crt-list is stored 0600 under the load balancer's directory; digest and delete find it")
    func storeDigestDelete() throws {
        try withStore(on: "/dev/shm") { store, certs in
            let text = "\(certs)/\(loadBalancer)/cert.pem\n"
            let md5 = try store.store(try upload(text), context: context)
            #expect(md5 == Digest.md5Hex(text.utf8))
            let attributes = try FileManager.default.attributesOfItem(atPath: "\(certs)/\(loadBalancer)/list.pem")
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            let name = try CertificateFileName(validating: "list.pem")
            #expect(try store.digest(loadBalancer, name, scope: .loadBalancer) == md5)
            #expect(try store.delete(loadBalancer, name, scope: .loadBalancer, context: context))
            // The emptied directory went with the file.
            #expect(!FileManager.default.fileExists(atPath: "\(certs)/\(loadBalancer)"))
            #expect(try !store.delete(loadBalancer, name, scope: .loadBalancer, context: context))
        }
    }

    @Test("refusals: too large (400 at the front), NUL byte, a crt-list naming another directory (400), nothing written")
    func refusals() throws {
        try withStore(on: "/dev/shm") { store, certs in
            let large = String(repeating: "a", count: CertificateStore.maximumSize + 1)
            #expect(wireError { _ = try store.store(try upload(large), context: context) }?.code == .tooLarge)
            #expect(wireError { _ = try store.store(try upload("x\0y"), context: context) }
                == CommandError(.badRequest, "Invalid certificate", details: "NUL byte"))
            let elsewhere = wireError { _ = try store.store(try upload("/etc/shadow\n"), context: context) }
            #expect(elsewhere?.code == .badRequest)
            #expect(elsewhere?.message == "Invalid certificate")
            #expect(!FileManager.default.fileExists(atPath: "\(certs)/\(loadBalancer)/list.pem"))
        }
    }

    @Test("not found: a missing file is 404 Certificate Not Found; a listener certificate needs its instance")
    func notFound() throws {
        try withStore(on: "/dev/shm") { store, _ in
            let name = try CertificateFileName(validating: "missing.pem")
            #expect(wireError { _ = try store.digest(loadBalancer, name, scope: .loadBalancer) }
                == CommandError(.certificateNotFound, "Certificate Not Found", details: "No certificate with filename: missing.pem"))
            #expect(wireError { _ = try store.digest(loadBalancer, name, scope: .listener) }
                == CommandError(.instanceNotFound, "Instance Not Found", details: loadBalancer.description))
        }
    }

    @Test("a certificate directory that is not a memory filesystem is refused (503), nothing written")
    func diskIsRefused() throws {
        let magic = try SafeDirectory.open("/var/tmp", create: false).filesystemMagic()
        try #require(!CertificateStore.memoryFilesystems.contains(magic), "/var/tmp is a memory filesystem here")
        try withStore(on: "/var/tmp") { store, certs in
            let error = wireError { _ = try store.store(try upload("\(certs)/\(loadBalancer)/cert.pem\n"), context: context) }
            #expect(error?.code == .unavailable)
            #expect(error?.message == "Certificate storage unavailable")
            #expect(!FileManager.default.fileExists(atPath: "\(certs)/\(loadBalancer)"))
        }
    }
}
