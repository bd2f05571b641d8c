// amphora-front: the unprivileged mutual-TLS front of the amphora agent; forwards typed commands to
// the helper over its Unix socket (FrontAPI).
import AgentLogging
import FrontAPI
import Glibc
import LinuxSystem
import Logging
import ToolCommandLine

let commandLine = ToolCommandLine(
    tool: "amphora-front",
    abstract: "Unprivileged mutual-TLS front of the amphora agent; forwards typed commands to the helper.",
    options: [.init("helper-socket", valueName: "PATH", help: "the helper's Unix socket", default: "/run/amphora-agent/helper.sock")])
let helperSocket = commandLine.parseOrExit()["helper-socket"]!
// Before the event loops and the thread pool start (under systemd nothing was inherited).
let sliceRefused = TimeSlice.request()
JournalLogHandler.bootstrap()
// The level follows [DEFAULT] debug once the helper has sent the settings (LogSettings).
let logger = Logger(label: "amphora-front")
if let errno = sliceRefused {
    logger.warning("\(TimeSlice.refusal(errno))")
}
do {
    try await FrontServer.run(helperSocket: helperSocket, logger: logger)
} catch {
    FileDescriptorOutput.standardError.write("amphora-front: \(error)\n")
    exit(1)
}
