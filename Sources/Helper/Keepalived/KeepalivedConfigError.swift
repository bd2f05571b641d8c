import IPCProtocol

/// Errors of the keepalived allow-lists (VRRP and LVS): a refused text, or a compiled-in policy
/// that is missing or malformed (a defect of the build, never of a request).
public enum KeepalivedConfigError: Error, Sendable, Equatable {
    /// The uploaded text is refused by the allow-list.
    case refused(KeepalivedConfigRefusal)
    /// The policy file is not compiled in.
    case policyMissing(fileName: String)
    /// A line of the compiled-in policy does not parse.
    case policyMalformed(fileName: String, line: String)
}
