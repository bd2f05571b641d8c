import AgentLogging
import ArgumentParser
import BuildInfo
import FrontAPI
import LinuxSystem
import Logging

/// The unprivileged HTTPS front of the amphora agent.
@main
struct AmphoraFrontCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amphora-front",
        abstract: "Unprivileged mutual-TLS front of the amphora agent; forwards typed commands to the helper.",
        version: "amphora-front \(BuildInfo.versionDescription)")

    @Option(name: .customLong("helper-socket"), help: "The helper's Unix socket.")
    var helperSocket: String = "/run/amphora-agent/helper.sock"

    func run() async throws {
        // The event loops and the helper client's threads share two arenas (tcache serves most
        // allocations without a lock).
        MallocArenas.limit(to: 2)
        JournalLogHandler.bootstrap()
        // The level follows [DEFAULT] debug once the helper has sent the settings (LogSettings).
        let logger = Logger(label: "amphora-front")
        try await FrontServer.run(helperSocket: helperSocket, logger: logger)
    }
}
