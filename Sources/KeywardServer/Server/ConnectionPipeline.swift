package import KeywardConfiguration
package import Logging
package import NIOCore
import NIOHTTP1

/// The handlers of one accepted connection, in order, in one place: the server and the
/// HTTP fuzz target (Tests/Fuzz) build the very same pipeline.
///
/// bytes → `ByteActivityHandler` (request timer) → HTTP decoder and pipelining →
/// `RequestPhaseHandler` (body limit, malformed HTTP, response ends) → `RequestHandler`.
package enum ConnectionPipeline {
    package static func install(
        on channel: any Channel, peer: Peer, limits: ServerLimits, responder: any RequestResponder, server: ServerState, logger: Logger
    ) throws -> ConnectionTimeouts {
        let timeouts = ConnectionTimeouts(limits: limits)
        let sync = channel.pipeline.syncOperations
        try sync.addHandler(ByteActivityHandler(timeouts: timeouts))
        // Response headers are ours (no client text reaches them), so NIO's outbound header
        // validation would only re-check our own constants on every response.
        try sync.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: false, withOutboundHeaderValidation: false)
        try sync.addHandler(RequestPhaseHandler(timeouts: timeouts, maxBodyBytes: limits.maxBodyBytes))
        try sync.addHandler(RequestHandler(peer: peer, responder: responder, server: server, logger: logger))
        return timeouts
    }
}
