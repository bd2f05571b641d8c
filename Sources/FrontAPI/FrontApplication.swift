import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import UnixSignals

/// The front's HTTP server: what Hummingbird's `Application` does for a request (build the request
/// context, ask the responder, add the `Date` header, write the response), without what the front
/// does not use: a per-request logger and id of Hummingbird's own (``AgentResponder`` correlates
/// requests itself), and its date cache, a one-second timer that formats through Foundation's
/// Calendar (``HTTPDate`` instead).
struct FrontApplication: Service {
    let responder: AgentResponder
    let server: HTTPServerBuilder
    let configuration: ServerConfiguration
    let onServerRunning: @Sendable (any Channel) async -> Void
    let logger: Logger

    /// A parse error that arrived while a response was being written: the connection closes
    /// without a second response (Hummingbird's `Application` does the same).
    struct ParseErrorWhileWritingResponse: Error {}

    func run() async throws {
        let responder = self.responder
        let logger = self.logger
        let service = try server.buildServer(
            configuration: configuration, eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: logger
        ) { (request, responseWriter: consuming ResponseWriter, channel) in
            let context = AgentRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: logger))
            var response: Response
            do {
                response = try await responder.respond(to: request, context: context)
            } catch let error as HTTPParserError {
                throw error
            } catch {
                logger.error("unexpected error", metadata: ["error": "\(String(describing: type(of: error)))"])
                response = APIError.framework(.internalServerError, "The server encountered an internal error.").response
            }
            response.headers[.date] = HTTPDate.now()
            do {
                try await responseWriter.write(response: response.head, body: response.body)
            } catch is HTTPParserError {
                throw ParseErrorWhileWritingResponse()
            }
        } onServerRunning: {
            await onServerRunning($0)
        }
        try await ServiceGroup(configuration: .init(services: [service], logger: logger)).run()
    }

    /// Runs the server until SIGTERM or SIGINT ends it gracefully.
    func runService() async throws {
        let group = ServiceGroup(configuration: .init(services: [self], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
