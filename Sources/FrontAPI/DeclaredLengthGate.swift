import HTTPTypes
import IPCProtocol
import NIOCore
import NIOHTTPTypes

/// Refuses a request whose `Content-Length` is over ``BodyLimit/maximumSize`` as soon as its head
/// arrives, before any body byte: the JSON refusal (``BodyLimit/refusal(length:)``, with
/// `Connection: close`) is written at once, the request never reaches the responder, whatever body
/// the client sends anyway is read and dropped, and the connection closes once that body has ended
/// (closing earlier, with body bytes unread, would reset the connection and could lose the answer
/// before the client reads it). The HTTP idle timeout still bounds a client that never finishes.
///
/// A refusal waits for the answers to requests already handed on (HTTP/1.1 answers in order).
final class DeclaredLengthGate: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let limit: Int
    /// Requests handed on whose answer has not been written completely.
    private var unanswered = 0
    /// The declared length of a refused request; set from its head on, every later part is dropped.
    private var refusedLength: Int?
    /// The refused request's `X-Openstack-Request-Id` (``RequestCorrelation``), answered with the refusal.
    private var refusedRequestID: OpenStackRequestID?
    /// Whether the refusal has been written.
    private var refusalWritten = false
    /// Whether the refused request's body has ended (the connection closes once both are done).
    private var refusedBodyEnded = false

    init(limit: Int = BodyLimit.maximumSize) {
        self.limit = limit
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if refusedLength != nil {
            if case .end = part {
                refusedBodyEnded = true
                closeWhenDone(context)
            }
            return
        }
        guard case .head(let head) = part, let declared = head.headerFields[.contentLength].flatMap({ Int($0) }), declared > limit
        else {
            if case .head = part { unanswered += 1 }
            context.fireChannelRead(data)
            return
        }
        refusedLength = declared
        refusedRequestID = RequestCorrelation.requestID(from: head.headerFields)
        if unanswered == 0 { writeRefusal(context) }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
        guard case .end = unwrapOutboundIn(data) else { return }
        unanswered -= 1
        if unanswered == 0, refusedLength != nil, !refusalWritten { writeRefusal(context) }
    }

    private func writeRefusal(_ context: ChannelHandlerContext) {
        refusalWritten = true
        var body = BodyLimit.refusal(length: refusedLength).body.serialized()
        body.append(UInt8(ascii: "\n"))
        var fields: HTTPFields = [.contentType: "application/json", .contentLength: String(body.count), .connection: "close"]
        fields[RequestCorrelation.header] = (refusedRequestID ?? .generate()).description
        let head = HTTPResponse(status: .badRequest, headerFields: fields)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(ByteBuffer(bytes: body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        closeWhenDone(context)
    }

    private func closeWhenDone(_ context: ChannelHandlerContext) {
        guard refusalWritten, refusedBodyEnded else { return }
        context.close(promise: nil)
    }
}
