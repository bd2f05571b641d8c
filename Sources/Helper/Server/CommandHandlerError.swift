import LinuxSystem

/// Errors of what ``CommandHandler`` answers itself (the front's settings, the server certificate's
/// rotation) and of its own wiring; mapped to the wire in CommandErrorMapping.swift.
public enum CommandHandlerError: Error, Sendable {
    /// A UDP listener command reached a helper built without UDP listeners (tests only).
    case listenersNotConfigured
    /// The identity handed to the front could not be audited, so it is not handed out.
    case auditUnavailable
    /// A new server certificate bundle failed its check.
    case serverCertificateRefused(CertificateProblem)
    /// A new server certificate could not be stored; the old one stays.
    case serverCertificateNotStored(SystemError)
}
