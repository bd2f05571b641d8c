import Confinement
import IPCProtocol

/// A compiled-in allow-list of programs from `policy/` (one absolute path a line, `{base_path}`
/// replaced by the configured base path), e.g. what haproxy or keepalived configurations may run.
public struct ProgramAllowList: Sendable, Equatable {
    public let paths: Set<String>

    /// The list in `policy/<file>`, as compiled in by `policy/embed.sh`.
    public static func embedded(_ file: String, basePath: String) -> ProgramAllowList {
        ProgramAllowList(parsing: EmbeddedPolicy.files[file] ?? "", basePath: basePath)
    }

    public init(parsing text: String, basePath: String) {
        var paths = Set<String>()
        for line in text.split(separator: "\n") {
            let entry = String(line).trimmingASCIIWhitespace()
            guard !entry.isEmpty, !entry.hasPrefix("#") else { continue }
            paths.insert(entry.replacing("{base_path}", with: basePath))
        }
        self.paths = paths
    }

    public func allows(_ path: String) -> Bool { paths.contains(path) }
}
