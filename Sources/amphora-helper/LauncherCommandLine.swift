import ProgramLauncher
import ToolCommandLine

/// `amphora-helper launcher`: the launcher process the helper starts (``LauncherPool``), its
/// channels on descriptors 3, 4, ... Not for direct use. Every option is required: the helper
/// always passes all of them, and a launcher must not guess (above all whether Landlock is).
enum LauncherCommandLine {
    static let required = ""
    static let commandLine = ToolCommandLine(
        tool: "amphora-helper launcher",
        abstract: "Internal: the launcher the helper starts, its channels on descriptors 3, 4, ...",
        options: [
            .init("channels", valueName: "N", help: "channels on descriptors 3 ..< 3 + N", default: required),
            .init("haproxy-cmd", valueName: "PATH", help: "haproxy_cmd of the agent configuration", default: required),
            .init("keepalived-cmd", valueName: "PATH", help: "keepalived_cmd of the agent configuration", default: required),
            .init("base-path", valueName: "DIR", help: "base_path of the agent configuration", default: required),
            .init("base-cert-dir", valueName: "DIR", help: "base_cert_dir of the agent configuration", default: required),
            .init("require-landlock", valueName: "yes|no", help: "refuse to start without Landlock (service_manager = systemd)", default: required),
        ])

    /// Reads `arguments` (after `launcher`) and serves; a missing or unusable option is one line and
    /// the usage on stderr, exit status 2. Never returns.
    static func serve(_ arguments: ArraySlice<String>) -> Never {
        let values = commandLine.parseOrExit(arguments)
        func value<T>(_ name: String, _ accept: (String) -> T?) -> T {
            guard let text = values[name], let accepted = accept(text) else {
                commandLine.refuse("--\(name) \(values[name] ?? ""): not a valid value")
            }
            return accepted
        }
        LauncherProcess.serve(
            channels: value("channels") { Int($0) },
            paths: ProgramPaths(
                haproxy: value("haproxy-cmd") { $0 }, keepalived: value("keepalived-cmd") { $0 },
                basePath: value("base-path") { $0 }, baseCertDir: value("base-cert-dir") { $0 }),
            requireLandlock: value("require-landlock") { ["yes": true, "no": false][$0] })
    }
}
