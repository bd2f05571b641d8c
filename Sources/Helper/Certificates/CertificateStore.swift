import Glibc
import IPCProtocol
import LinuxSystem

/// Certificates of load balancers and listeners, kept only in memory: `base_cert_dir` must be a
/// tmpfs, or a filesystem on a RAM disk (``MemoryBackedFilesystem``: upstream's `certs-ramfs`),
/// checked before every write; otherwise 503 and nothing written. Files are
/// 0600, directories 0700, written atomically relative to directory descriptors without following
/// symlinks. Key material never reaches a log: the audit log records SHA-256 digests.
public final class CertificateStore: Sendable {
    /// `TMPFS_MAGIC` and `RAMFS_MAGIC` from linux/magic.h.
    public static let memoryFilesystems: Set<Int64> = [0x0102_1994, 0x8584_58f6]
    /// The largest file stored (CA bundles and crt-lists included).
    public static let maximumSize = 512 * 1024

    let certDirectory: String
    let instances: HAProxyInstances
    let audit: AuditLog

    public init(certDirectory: String, instances: HAProxyInstances, audit: AuditLog) {
        self.certDirectory = certDirectory
        self.instances = instances
        self.audit = audit
    }

    /// The certificate directory, refusing anything that is not a memory filesystem.
    func memoryDirectory() throws(CertificateError) -> SafeDirectory {
        let directory: SafeDirectory
        do {
            directory = try SafeDirectory.open(certDirectory, create: false)
        } catch {
            throw .storageUnavailable(details: "\(error)")
        }
        if case .persistent(let why) = MemoryBackedFilesystem.judge(directory: directory.fd) {
            throw .storageUnavailable(
                details: "\(certDirectory) is not a tmpfs or a RAM disk (\(why)); refusing to store key material on disk")
        }
        return directory
    }

    func requireListener(_ id: ResourceID, _ scope: CertificateScope) throws(CertificateError) {
        guard scope == .listener else { return }
        do throws(HAProxyError) {
            if try instances.storedConfig(id) == nil { throw HAProxyError.notFound(id) }
        } catch {
            throw .instance(error)
        }
    }

    /// Validates and stores an upload; returns the MD5 of the stored bytes.
    public func store(_ upload: CertificateUpload, context: AuditContext) throws(CertificateError) -> String {
        guard upload.content.utf8.count <= Self.maximumSize else { throw .tooLarge }
        guard !upload.content.utf8.contains(0) else { throw .invalid(details: "NUL byte") }
        try requireListener(upload.instance, upload.scope)
        switch upload.scope {
        case .listener:
            do {
                _ = try CertificateCheck.checkBundle(upload.content, requireCurrent: false)
            } catch {
                throw .badBundle(error)
            }
            // The bundle is stored verbatim: nothing but the PEM blocks may be in it.
            do {
                _ = try PEMBlock.strictBlocks(in: upload.content)
            } catch {
                throw .invalid(details: error.message)
            }
            // The seed spec: the file name *should* be the CN (WILDCARD for *); any valid name is accepted.
        case .loadBalancer:
            try Self.checkBundleOrCrtList(upload.content, directory: loadBalancerDirectory(upload.instance))
        }
        let bytes = Array(upload.content.utf8)
        let digest = Digest.md5Hex(bytes)
        try instances.locks.withLock(upload.instance) { () throws(CertificateError) in
            let root = try memoryDirectory()
            let directory: SafeDirectory
            do throws(FileChangeError) {
                directory = try AuditedDirectory(directory: root, context: context).subdirectory(upload.instance.description)
            } catch {
                throw error.wrapped(refused: CertificateError.refused, failed: CertificateError.notStored)
            }
            // The intent and outcome records carry the path and the SHA-256, never the key material.
            do throws(FileChangeError) {
                try AuditedDirectory(directory: directory, context: context).write(upload.file.description, bytes, mode: 0o600)
            } catch {
                throw error.wrapped(refused: CertificateError.refused, failed: CertificateError.notStored)
            }
        }
        return digest
    }

    /// Where a load balancer's files live, as haproxy configurations and crt-lists name them.
    func loadBalancerDirectory(_ id: ResourceID) -> String {
        var base = certDirectory
        while base.count > 1, base.hasSuffix("/") { base.removeLast() }
        return (base == "/" ? "" : base) + "/" + id.description
    }

    /// A 1.0 upload is either a PEM bundle or a crt-list, both read strictly: PEM blocks of the
    /// labels Octavia uploads with only whitespace around them, each parsing as what its label
    /// says; or a crt-list whose every path is inside `directory` (see ``CrtList``). A text that is
    /// neither (a Lua chunk, a haproxy file, anything with a payload beside the blocks) is refused.
    static func checkBundleOrCrtList(_ text: String, directory: String) throws(CertificateError) {
        do throws(CertificateProblem) {
            if text.contains("-----BEGIN ") {
                try CertificateCheck.checkBlocksParse(try PEMBlock.strictBlocks(in: text))
            } else {
                _ = try CrtList(parsing: text, directory: directory)
            }
        } catch {
            throw .invalid(details: error.message)
        }
    }

    /// The MD5 of a stored file.
    public func digest(_ id: ResourceID, _ file: CertificateFileName, scope: CertificateScope) throws(CertificateError) -> String {
        try requireListener(id, scope)
        let root = try memoryDirectory()
        do throws(SystemError) {
            guard let directory = try root.subdirectory(id.description, create: false),
                let bytes = try directory.read(file.description, limit: Self.maximumSize)
            else { throw SystemError("open", errno: ENOENT) }
            return Digest.md5Hex(bytes)
        } catch {
            if error.errno == ENOENT { throw .notFound(file, scope) }
            throw .notRead(error)
        }
    }

    /// Removes a file (a symlink is removed itself, never followed); the directory goes when empty.
    public func delete(_ id: ResourceID, _ file: CertificateFileName, scope: CertificateScope, context: AuditContext) throws(CertificateError) -> Bool {
        try requireListener(id, scope)
        return try instances.locks.withLock(id) { () throws(CertificateError) -> Bool in
            let root = try memoryDirectory()
            do throws(FileChangeError) {
                let opened: SafeDirectory?
                let empty: Bool
                do throws(SystemError) { opened = try root.subdirectory(id.description, create: false) } catch { throw .failed(error) }
                guard let directory = opened else { return false }
                let existed = try AuditedDirectory(directory: directory, context: context).remove(file.description)
                do throws(SystemError) { empty = try directory.entries().isEmpty } catch { throw .failed(error) }
                if empty { try AuditedDirectory(directory: root, context: context).removeTree(id.description) }
                return existed
            } catch {
                throw error.wrapped(refused: CertificateError.refused, failed: CertificateError.notDeleted)
            }
        }
    }
}
