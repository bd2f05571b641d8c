// amphora-launcher: the only process of the agent that executes programs. The helper starts it
// (before the helper confines itself) with its channels on descriptors 3, 4, ...; it confines
// itself, then runs the commands of the compiled-in program table it reads there
// (ProgramLauncher/LauncherProcess.swift). Not for direct use.
//
// An executable of its own, not a subcommand of amphora-helper: it maps none of the helper's code,
// OpenSSL, Foundation or swift-argument-parser, so it costs about a megabyte of memory instead of
// several, and what it could be made to run holds only the launcher's code.
import Glibc
import LinuxSystem
import ProgramLauncher
import ToolCommandLine

/// Every option is required: the helper always passes all of them, and a launcher must not guess
/// (above all whether Landlock is required).
let required = ""
let commandLine = ToolCommandLine(
    tool: "amphora-launcher",
    abstract: "Internal: the launcher amphora-helper starts; its channels on descriptors 3, 4, ...",
    options: [
        .init("channels", valueName: "N", help: "channels on descriptors 3 ..< 3 + N", default: required),
        .init("haproxy-cmd", valueName: "PATH", help: "haproxy_cmd of the agent configuration", default: required),
        .init("keepalived-cmd", valueName: "PATH", help: "keepalived_cmd of the agent configuration", default: required),
        .init("base-path", valueName: "DIR", help: "base_path of the agent configuration", default: required),
        .init("base-cert-dir", valueName: "DIR", help: "base_cert_dir of the agent configuration", default: required),
        .init("require-landlock", valueName: "yes|no", help: "refuse to start without Landlock (service_manager = systemd)", default: required),
    ])
let values = commandLine.parseOrExit()

/// The value of option `name`, or the reason and exit status 2 when it is missing or `accept` refuses it.
func value<T>(_ name: String, _ accept: (String) -> T?) -> T {
    guard let text = values[name], !text.isEmpty else {
        FileDescriptorOutput.standardError.write("amphora-launcher: --\(name) is required\n\(commandLine.usage)")
        exit(2)
    }
    guard let accepted = accept(text) else {
        FileDescriptorOutput.standardError.write("amphora-launcher: --\(name) \(text): not a valid value\n\(commandLine.usage)")
        exit(2)
    }
    return accepted
}

LauncherProcess.serve(
    channels: value("channels") { Int($0) },
    paths: ProgramPaths(
        haproxy: value("haproxy-cmd") { $0 }, keepalived: value("keepalived-cmd") { $0 },
        basePath: value("base-path") { $0 }, baseCertDir: value("base-cert-dir") { $0 }),
    requireLandlock: value("require-landlock") { ["yes": true, "no": false][$0] })
