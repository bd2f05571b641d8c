import HTTPTypes
import FrontRequestParsing
import Hummingbird
import IPCProtocol
import NIOCore

/// The request context of the front: Hummingbird's core storage, the connection (for its client
/// certificate, ``ClientCertificateIdentity``) and the body limit.
public struct AgentRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection the request arrived on.
    public let channel: any Channel
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
    /// The largest request body (a haproxy configuration; certificates and JSON are far smaller):
    /// ``BodyLimit/maximumSize``. A body declared larger is refused before it is read
    /// (``DeclaredLengthGate``); a chunked one when it grows past it.
    public var maxUploadSize: Int { BodyLimit.maximumSize }
}

/// What a route does with a request.
public typealias RouteHandler = @Sendable (Request, AgentRequestContext, RouteParameters) async throws -> Response

/// The front's route table for both API versions (``FrontRequestParsing/RoutePatternTable``, which
/// knows every path's methods, so a wrong method answers 405 with `Allow` and an unknown path 404).
public typealias RouteTable = RoutePatternTable<HTTPRequest.Method, RouteHandler>
