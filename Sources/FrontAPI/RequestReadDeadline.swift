import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request has not arrived whole within `agent_request_read_timeout`
/// (upstream's gunicorn `timeout`): a body trickled a byte at a time resets the HTTP idle timeout
/// for ever, so without a deadline on the whole request a few sources could hold every one of the
/// front's connection slots. Armed by a request's head, cancelled by its end.
final class RequestReadDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    let timeout: TimeAmount
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            if deadline == nil {
                let channel = context.channel
                deadline = context.eventLoop.scheduleTask(in: timeout) {
                    channel.close(promise: nil)
                }
            }
        case .body:
            break
        case .end:
            disarm()
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}

@available(*, unavailable)
extension RequestReadDeadline: Sendable {}
