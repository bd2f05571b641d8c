/// A parsed seccomp allow-list: the rules of one `policy/seccomp-*.policy` file.
///
/// The file format, one rule a line (`#` starts a comment, blank lines are ignored):
///
/// ```
/// read                          # allow the system call
/// clone3 errno ENOSYS           # fail it with this errno (glibc then falls back to clone)
/// execve kill                   # kill the process (the default; written down for the reader)
/// clone threads-only            # allow only with CLONE_THREAD: threads yes, processes no
/// socket family AF_UNIX AF_INET # allow socket(2) only for these address families
/// execveat program-fds          # only on the launcher's program descriptor slots, AT_EMPTY_PATH
/// close protect-program-fds     # EPERM on a program descriptor slot, allowed otherwise (also dup2, dup3)
/// close_range cloexec-only      # only CLOSE_RANGE_CLOEXEC (marks, never closes); ENOSYS otherwise
/// ```
///
/// What the policy cannot say is fixed in code: the default action and the bad-architecture action
/// are both `KILL_PROCESS`, and loading sets no_new_privs and synchronises every thread.
public struct SeccompPolicy: Sendable, Equatable {
    /// What happens to one system call.
    public enum Rule: Sendable, Equatable {
        case allow
        case errno(Int32)
        case kill
        case threadsOnly
        case families([Int32])
        case programDescriptors
        case protectProgramDescriptors
        case cloexecOnly
    }

    /// One line of the policy.
    public struct Entry: Sendable, Equatable {
        public var syscall: String
        public var rule: Rule
        public var line: Int
    }

    public var entries: [Entry]

    /// Names of the system calls that are allowed in some form (for counting and documentation).
    public var allowedSyscalls: [String] {
        entries.filter { if case .kill = $0.rule { return false } else if case .errno = $0.rule { return false } else { return true } }
            .map(\.syscall)
    }

    /// Errno names a policy may use.
    static let errnoNames: [String: Int32] = ["ENOSYS": 38, "EPERM": 1, "EACCES": 13, "EAFNOSUPPORT": 97]
    /// Address families a policy may name.
    static let familyNames: [String: Int32] = [
        "AF_UNIX": 1, "AF_INET": 2, "AF_INET6": 10, "AF_NETLINK": 16, "AF_PACKET": 17,
    ]
    /// System calls whose argument rules only make sense on that call.
    static let ruleTargets: [String: Set<String>] = [
        "threads-only": ["clone"], "family": ["socket"], "program-fds": ["execveat"],
        "protect-program-fds": ["close", "dup2", "dup3"], "cloexec-only": ["close_range"],
    ]

    /// Parses a policy text; every problem names its line.
    public init(parsing text: String, name: String) throws(ConfinementError) {
        var entries: [Entry] = []
        var seen: Set<String> = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let content = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            guard let syscall = words.first else { continue }
            func bad(_ reason: String) -> ConfinementError {
                ConfinementError("\(name):\(lineNumber): \(reason)")
            }
            guard syscall.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { throw bad("bad system call name \"\(syscall)\"") }
            guard !seen.contains(syscall) else { throw bad("\(syscall) appears twice") }
            seen.insert(syscall)
            let rule: Rule
            let arguments = Array(words.dropFirst())
            switch arguments.first {
            case nil:
                rule = .allow
            case "kill":
                guard arguments.count == 1 else { throw bad("kill takes no arguments") }
                rule = .kill
            case "errno":
                guard arguments.count == 2, let value = Self.errnoNames[arguments[1]] else {
                    throw bad("errno needs one of \(Self.errnoNames.keys.sorted().joined(separator: ", "))")
                }
                rule = .errno(value)
            case "family":
                let families = arguments.dropFirst().map { Self.familyNames[$0] }
                guard !families.isEmpty, families.allSatisfy({ $0 != nil }) else {
                    throw bad("family needs names from \(Self.familyNames.keys.sorted().joined(separator: ", "))")
                }
                rule = .families(families.compactMap { $0 })
            case "threads-only", "program-fds", "protect-program-fds", "cloexec-only":
                guard arguments.count == 1 else { throw bad("\(arguments[0]) takes no arguments") }
                switch arguments[0] {
                case "threads-only": rule = .threadsOnly
                case "program-fds": rule = .programDescriptors
                case "protect-program-fds": rule = .protectProgramDescriptors
                default: rule = .cloexecOnly
                }
            case let other?:
                throw bad("unknown rule \"\(other)\"")
            }
            if let keyword = arguments.first, let targets = Self.ruleTargets[keyword], !targets.contains(syscall) {
                throw bad("\(keyword) applies only to \(targets.sorted().joined(separator: ", "))")
            }
            entries.append(Entry(syscall: syscall, rule: rule, line: lineNumber))
        }
        guard !entries.isEmpty else { throw ConfinementError("\(name): no rules") }
        self.entries = entries
    }
}

/// A confinement step that failed: the process must stop (fail closed).
public struct ConfinementError: Error, Sendable, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
