/// What goes wrong on the way from the helper to a program, before the program answers: the
/// launcher's own argument grammar, the check's sandbox, the check account, the launcher process.
/// The helper turns it into the wire's error once, at its boundary (Helper/Server/CommandErrorMapping.swift);
/// the launcher process sends its ``message`` back as a refusal.
public enum LaunchError: Error, Equatable, Sendable {
    /// An argument is empty, too long, or not printable ASCII.
    case argumentRefused
    /// A value after `--` starts with `-`.
    case optionLikeValueRefused
    /// The configuration-check account does not exist.
    case checkAccountMissing
    /// A load balancer's certificate directory cannot be opened.
    case certificateDirectoryUnavailable(details: String)
    /// A load balancer's certificate directory cannot be given to the check account's group.
    case certificatesNotShared(reason: String)
    /// A check's input file cannot be opened.
    case checkInputUnreadable(path: String, reason: String)
    /// A check's input file cannot be copied into a sealed memory file.
    case checkInputNotHanded(path: String, reason: String)
    /// A keepalived configuration names `net_namespace` where the check's copy cannot leave it out.
    case namespaceKeywordMisplaced(path: String)
    /// The check's read-only Landlock ruleset cannot be built.
    case landlockRulesetFailed(reason: String)
    /// A launcher's answer carries another request's id.
    case answeredAnotherRequest
    /// A launcher closed its socket.
    case launcherExited
    /// A launcher cannot be written to or read from.
    case launcherUnavailable(details: String)

    /// One line that says what went wrong (without the details).
    public var message: String {
        switch self {
        case .argumentRefused: return "argument refused by the launcher's grammar"
        case .optionLikeValueRefused: return "option-like value refused by the launcher's grammar"
        case .checkAccountMissing:
            return "the configuration-check user \(CheckAccount.name) does not exist (scripts/install-deps.sh creates it: useradd --system \(CheckAccount.name))"
        case .certificateDirectoryUnavailable: return "certificate directory unavailable"
        case .certificatesNotShared: return "cannot share the certificate directory with the check"
        case .checkInputUnreadable(let path, let reason): return "cannot open \(path): \(reason)"
        case .checkInputNotHanded(let path, let reason): return "cannot hand \(path) to the check: \(reason)"
        case .namespaceKeywordMisplaced(let path): return "\(path): net_namespace is allowed only as a line of its own"
        case .landlockRulesetFailed(let reason): return "cannot build the check's Landlock ruleset: \(reason)"
        case .answeredAnotherRequest: return "launcher answered another request"
        case .launcherExited: return "launcher exited"
        case .launcherUnavailable: return "launcher unavailable"
        }
    }

    /// What went wrong in detail, where there is more than the ``message``.
    public var details: String? {
        switch self {
        case .certificateDirectoryUnavailable(let details), .launcherUnavailable(let details): return details
        case .certificatesNotShared(let reason): return reason
        default: return nil
        }
    }
}
