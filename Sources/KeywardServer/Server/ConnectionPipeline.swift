package import KeywardConfiguration
package import Logging
package import NIOCore

/// The handlers of one accepted connection, in order, in one place: the server and the
/// HTTP fuzz target (Tests/Fuzz) build the very same pipeline.
///
/// bytes ⇄ `HTTPConnectionHandler` (Keyward's HTTP/1.1: requests, responses, timers, limits)
/// ⇄ `RequestHandler` (answers each request).
package enum ConnectionPipeline {
    package static func install(
        on channel: any Channel, peer: Peer, limits: ServerLimits, responder: any RequestResponder, server: ServerState, logger: Logger
    ) throws -> ConnectionTimeouts {
        let timeouts = ConnectionTimeouts(limits: limits)
        let sync = channel.pipeline.syncOperations
        try sync.addHandler(HTTPConnectionHandler(timeouts: timeouts, maxBodyBytes: limits.maxBodyBytes))
        try sync.addHandler(RequestHandler(peer: peer, responder: responder, server: server, timeouts: timeouts, logger: logger))
        return timeouts
    }
}
