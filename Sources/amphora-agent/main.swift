// amphora-agent: the standalone amphora agent. Starts the root helper and the unprivileged front in
// the foreground and restarts them (Supervisor).
import Glibc
import Supervisor
import ToolCommandLine

let commandLine = ToolCommandLine(
    tool: "amphora-agent", abstract: "Privilege-separated OpenStack Octavia amphora agent (standalone mode; run as root).",
    options: [.init("config-file", valueName: "PATH", help: "the agent configuration (oslo.config INI)", default: "/etc/octavia/amphora-agent.conf")])
let values = commandLine.parseOrExit()
exit(Supervisor.run(configPath: values["config-file"]!))
