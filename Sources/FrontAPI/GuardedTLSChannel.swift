import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOSSL

/// The front's child channel: TLS (like HummingbirdTLS's `TLSChannel`) with two guards in front of
/// the HTTP pipeline. A source address already holding ``SourceConnectionLimiter/maximum``
/// connections gets its new connection closed before any TLS work; and a connection whose TLS
/// handshake has not completed within ``handshakeTimeout`` is closed (``TLSHandshakeDeadline``),
/// so silent or trickling peers cannot hold the front's connection slots.
struct GuardedTLSChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    /// A refused connection: the initializer fails and NIO drops the channel.
    struct SourceOverLimit: Error {}

    let base: Base
    let sslContext: NIOSSLContext
    let limiter: SourceConnectionLimiter
    let handshakeTimeout: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        guard limiter.admit(channel) else {
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(SourceOverLimit())
        }
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
            try channel.pipeline.syncOperations.addHandler(TLSHandshakeDeadline(timeout: handshakeTimeout))
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    /// Handles the connection on its own event loop (``EventLoopTaskExecutor``).
    func handle(value: Base.Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(value.channel.eventLoop)) {
            await base.handle(value: value, logger: logger)
        }
    }
}

extension GuardedTLSChannel: HTTPChannelHandler where Base: HTTPChannelHandler {
    var responder: HTTPChannelHandler.Responder { base.responder }
}
