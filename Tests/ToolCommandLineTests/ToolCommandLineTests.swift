import Testing
import ToolCommandLine

@Suite("Tool command line")
struct ToolCommandLineTests {
    let commandLine = ToolCommandLine(
        tool: "amphora-x", abstract: "A tool.",
        options: [
            .init("config-file", valueName: "PATH", help: "the configuration", default: "/etc/x.conf"),
            .init("helper-socket", valueName: "PATH", help: "the socket", default: "/run/x.sock"),
        ])

    @Test("defaults, --name VALUE and --name=VALUE; the last one given wins")
    func values() {
        #expect(commandLine.parse([]) == .run(["config-file": "/etc/x.conf", "helper-socket": "/run/x.sock"]))
        #expect(commandLine.parse(["--config-file", "/a b"]) == .run(["config-file": "/a b", "helper-socket": "/run/x.sock"]))
        #expect(commandLine.parse(["--helper-socket=/s=1", "--config-file=/c"]) == .run(["config-file": "/c", "helper-socket": "/s=1"]))
        #expect(commandLine.parse(["--config-file", "/1", "--config-file", "/2"]) == .run(["config-file": "/2", "helper-socket": "/run/x.sock"]))
        // A value that looks like an option is still the value.
        #expect(commandLine.parse(["--config-file", "--version"]) == .run(["config-file": "--version", "helper-socket": "/run/x.sock"]))
    }

    @Test("--version and --help win wherever they stand")
    func versionAndHelp() {
        #expect(commandLine.parse(["--version"]) == .version)
        #expect(commandLine.parse(["--config-file", "/c", "-h"]) == .help)
        #expect(commandLine.parse(["--help", "--bogus"]) == .help)
    }

    @Test("refused: unknown arguments, prefixes of an option, a missing or empty value, positional arguments")
    func refused() {
        #expect(commandLine.parse(["--bogus"]) == .refused("unknown argument '--bogus'"))
        #expect(commandLine.parse(["--config"]) == .refused("unknown argument '--config'"))
        #expect(commandLine.parse(["--config-filex=1"]) == .refused("unknown argument '--config-filex=1'"))
        #expect(commandLine.parse(["serve"]) == .refused("unknown argument 'serve'"))
        #expect(commandLine.parse(["-c", "/x"]) == .refused("unknown argument '-c'"))
        #expect(commandLine.parse(["--config-file"]) == .refused("--config-file needs a PATH"))
        #expect(commandLine.parse(["--config-file="]) == .refused("--config-file needs a PATH"))
        #expect(commandLine.parse(["--config-file", ""]) == .refused("--config-file needs a PATH"))
    }

    @Test("the usage names every option with its default")
    func usage() {
        #expect(commandLine.usage == """
            usage: amphora-x [--config-file PATH] [--helper-socket PATH]

            A tool.

            options:
              --config-file PATH     the configuration (default /etc/x.conf)
              --helper-socket PATH   the socket (default /run/x.sock)
              --version              print the version
              -h, --help             print this help

            """)
    }

    @Test("an option whose default is empty is required")
    func requiredOption() {
        let tool = ToolCommandLine(
            tool: "t", abstract: "a", options: [.init("base-path", valueName: "DIR", help: "h", default: ""), .init("x", valueName: "X", help: "h", default: "1")])
        #expect(tool.parse([]) == .refused("--base-path is required"))
        #expect(tool.parse(["--x", "2"]) == .refused("--base-path is required"))
        #expect(tool.parse(["--base-path", "/b"]) == .run(["base-path": "/b", "x": "1"]))
        #expect(tool.usage.contains("--base-path DIR   h (required)"), "\(tool.usage)")
    }
}
