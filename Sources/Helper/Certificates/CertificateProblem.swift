import COpenSSL
import Glibc

/// Why a certificate bundle was refused; the message is safe to show (it never contains PEM data).
public struct CertificateProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
