// amphora-agent: the standalone amphora agent. Starts the root helper and the unprivileged front in
// the foreground and restarts them (Supervisor). Its two options are read by hand: swift-argument-parser
// would load FoundationEssentials into a process that otherwise never needs it (about 0.2 MiB of
// relocated pages of its own, and the library's code).
import BuildInfo
import Glibc
import LinuxSystem
import Supervisor

let usage = """
    usage: amphora-agent [--config-file PATH]

    Privilege-separated OpenStack Octavia amphora agent (standalone mode; run as root).

    options:
      --config-file PATH   the agent configuration (oslo.config INI; default /etc/octavia/amphora-agent.conf)
      --version            print the version
      -h, --help           print this help

    """

var configFile = "/etc/octavia/amphora-agent.conf"
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--version":
        print("amphora-agent \(BuildInfo.versionDescription)")
        exit(0)
    case "-h", "--help":
        print(usage, terminator: "")
        exit(0)
    case "--config-file":
        guard let path = arguments.popFirst(), !path.isEmpty else {
            FileDescriptorOutput.standardError.write("amphora-agent: --config-file needs a path\n\(usage)")
            exit(2)
        }
        configFile = path
    case _ where argument.hasPrefix("--config-file=") && argument.count > "--config-file=".count:
        configFile = String(argument.dropFirst("--config-file=".count))
    default:
        FileDescriptorOutput.standardError.write("amphora-agent: unknown argument '\(argument)'\n\(usage)")
        exit(2)
    }
}
exit(Supervisor.run(configPath: configFile))
