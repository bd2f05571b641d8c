import IPCProtocol

/// The audit head in what the front sends off the amphora (`/1.0/details`, every heartbeat).
extension AmphoraDetails {
    /// This answer with `audit`'s last record on disk.
    func anchored(to audit: AuditLog) -> AmphoraDetails {
        var copy = self
        copy.auditHead = audit.durableHead
        return copy
    }
}

extension HeartbeatReport {
    /// This report with `audit`'s last record on disk.
    func anchored(to audit: AuditLog) -> HeartbeatReport {
        var copy = self
        copy.auditHead = audit.durableHead
        return copy
    }
}
