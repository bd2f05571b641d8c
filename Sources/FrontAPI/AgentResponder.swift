import FrontRequestParsing
import HTTPTypes
import Hummingbird
import IPCProtocol
import Logging
import NIOCore

/// The front's HTTP responder: route lookup, request correlation and the single place where every
/// error becomes JSON.
///
/// Every answer, errors included, carries `X-Openstack-Request-Id` (``RequestCorrelation``), and
/// every helper command sent while the request is served carries the request's id, method, path and
/// client certificate.
///
/// Nothing thrown below escapes as a stack trace or a plain-text page: helper errors map through
/// ``APIError/from(_:)``, an unreachable helper is 503, a body over the limit is 400 (``BodyLimit``),
/// and anything unexpected is a generic 500 (logged, never echoed).
public struct AgentResponder: HTTPResponder {
    public typealias Context = AgentRequestContext

    let table: RouteTable
    let logger: Logger

    public init(table: RouteTable, logger: Logger) {
        self.table = table
        self.logger = logger
    }

    public func respond(to request: Request, context: AgentRequestContext) async throws -> Response {
        let requestID = RequestCorrelation.requestID(from: request.headers)
        let served = ServedRequest(requestID: requestID, method: request.method, path: request.uri.path, channel: context.channel)
        var response = await RequestCorrelation.$current.withValue(served) { await answer(request, context: context) }
        response.headers[RequestCorrelation.header] = requestID.description
        return response
    }

    /// The route's answer, or the JSON error that stands for what it threw.
    func answer(_ request: Request, context: AgentRequestContext) async -> Response {
        do {
            switch table.match(method: request.method, path: request.uri.path) {
            case .found(let handler, let parameters):
                return try await handler(request, context, parameters)
            case .wrongMethod(let allowed):
                var error = APIError.framework(.methodNotAllowed, "The method is not allowed for the requested URL.")
                error.extraHeaders[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
                return error.response
            case .notFound:
                return APIError.notFound.response
            case .badEncoding:
                return APIError.framework(.badRequest, "The request path is not valid percent-encoded UTF-8.").response
            }
        } catch let error as APIError {
            return error.response
        } catch let error as CommandError {
            return APIError.from(error).response
        } catch let error as UnexpectedReply {
            logger.error("helper broke the protocol", metadata: ["error": "\(error)"])
            return APIError.unexpectedReply.response
        } catch let error as HelperUnavailable {
            logger.warning("helper unavailable", metadata: ["reason": "\(error.reason)"])
            return APIError.message(.serviceUnavailable, "Helper unavailable", details: "The privileged helper is not reachable; retry later.").response
        } catch let error as HelperInterrupted {
            logger.warning("helper restarted during a command", metadata: ["command": "\(error.command)", "reason": "\(error.reason)"])
            return APIError.message(
                .serviceUnavailable, "Helper restarted",
                details: "The privileged helper restarted while carrying out \(error.command); it may or may not have taken effect, and the agent does not repeat it. Check the state, then retry."
            ).response
        } catch is NIOTooManyBytesError {
            return BodyLimit.refusal().response
        } catch let error as any HTTPResponseError {
            return APIError.framework(error.status, error.status.reasonPhrase).response
        } catch {
            logger.error("unexpected error", metadata: ["path": "\(request.uri.path)", "error": "\(String(describing: type(of: error)))"])
            return APIError.framework(.internalServerError, "The server encountered an internal error.").response
        }
    }
}
