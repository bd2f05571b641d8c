import IPCProtocol
import LinuxSystem

/// What can go wrong storing, reading or deleting a load balancer's or listener's certificate.
public enum CertificateError: Error, Sendable {
    /// Larger than ``CertificateStore/maximumSize``.
    case tooLarge
    /// The bundle's certificate or key does not check (the problem's message is the whole answer).
    case badBundle(CertificateProblem)
    /// Not a strict PEM bundle or crt-list; the details say why.
    case invalid(details: String)
    /// `base_cert_dir` cannot be opened or is not a memory filesystem.
    case storageUnavailable(details: String)
    /// No such file for the instance (the scope chooses the wording: v0.1 listener or 1.0 load balancer).
    case notFound(CertificateFileName, CertificateScope)
    /// The listener's instance is unknown, or its configuration could not be read.
    case instance(HAProxyError)
    /// Writing, reading or deleting the file failed.
    case notStored(SystemError)
    case notRead(SystemError)
    case notDeleted(SystemError)
    /// A wire error passed through unchanged: the audit log could not record the change's intent,
    /// so nothing was changed (``AuditContext/auditUnavailable``).
    case refused(CommandError)
}
