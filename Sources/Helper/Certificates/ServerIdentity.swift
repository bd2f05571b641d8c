import COpenSSL
import Glibc
import LinuxSystem

/// The agent's own TLS identity as the helper loaded and checked it.
public struct ServerIdentity: Sendable {
    public let certificatesPEM: String
    public let privateKeyPEM: String
    public let clientCAPEM: String
    public let leafDigest: String

    /// Loads `agent_server_cert` (certificate and key in one file) and `agent_server_ca`, checking both.
    /// Errors are one line naming the file and the problem.
    public static func load(certificatePath: String, caPath: String) throws(CertificateProblem) -> ServerIdentity {
        let certText: String
        let caText: String
        do {
            certText = String(decoding: try readFile(certificatePath), as: UTF8.self)
        } catch {
            throw CertificateProblem("agent_server_cert \(certificatePath): cannot read: \(error)")
        }
        do {
            caText = String(decoding: try readFile(caPath), as: UTF8.self)
        } catch {
            throw CertificateProblem("agent_server_ca \(caPath): cannot read: \(error)")
        }
        let bundle: CertificateCheck.CheckedBundle
        do {
            bundle = try CertificateCheck.checkBundle(certText, requireCurrent: true)
        } catch {
            throw CertificateProblem("agent_server_cert \(certificatePath): \(error.message)")
        }
        let ca: String
        do {
            ca = try CertificateCheck.checkCertificates(caText)
        } catch {
            throw CertificateProblem("agent_server_ca \(caPath): \(error.message)")
        }
        return ServerIdentity(
            certificatesPEM: bundle.certificatesPEM, privateKeyPEM: bundle.privateKeyPEM, clientCAPEM: ca,
            leafDigest: bundle.leafDigest)
    }
}
