import Atomics
import Foundation
public import Logging
import NIOCore
import NIOHTTP1
public import NIOPosix
import Synchronization

/// Anything that answers complete requests; `Router` in production.
public protocol RequestResponder: Sendable {
    func respond(to request: HTTPRequest) async -> HTTPResponse
    /// Called once for a connection whose peer has no role at all (for the audit log).
    func connectionRefused(_ peer: Peer) async
    /// Whether the peer has any role; a peer without one gets 403 on every request.
    func isKnown(_ peer: Peer) -> Bool
    /// Shutdown began: answer every held request (watches) now.
    func releaseHeldRequests()
}

/// HTTP/1.1 with keep-alive over a Unix stream socket.
///
/// Each accepted connection's peer is read with SO_PEERCRED before any HTTP handler is
/// added. One task per connection reads requests and writes responses in order; a failure
/// in one connection is logged and never stops the server. `beginDrain()` stops accepting,
/// closes idle connections, lets in-flight requests finish within `drainTimeout`, then
/// `run()` returns.
public final class KeywardHTTPServer: Sendable {
    private let endpoint: ListenEndpoint
    private let limits: ServerLimits
    private let responder: any RequestResponder
    private let logger: Logger
    private let group: MultiThreadedEventLoopGroup
    private let openConnections = ManagedAtomic<Int>(0)
    private let state = Mutex<State>(State())

    private struct State {
        var listener: (any Channel)?
        var draining = false
        var connections: [ObjectIdentifier: (any Channel, NIOLoopBound<ConnectionTimeouts>)] = [:]
    }

    public init(
        endpoint: ListenEndpoint, limits: ServerLimits, responder: any RequestResponder, logger: Logger, group: MultiThreadedEventLoopGroup
    ) {
        self.endpoint = endpoint
        self.limits = limits
        self.responder = responder
        self.logger = logger
        self.group = group
    }

    /// Binds (or adopts the inherited socket), calls `onListening`, and serves until drained
    /// or cancelled.
    public func run(onListening: @Sendable () async -> Void) async throws {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 512)
        let initializer: @Sendable (any Channel) -> EventLoopFuture<Connection> = { [self] channel in
            self.initialize(channel)
        }
        let server: NIOAsyncChannel<Connection, Never>
        switch endpoint {
        case .path(let path, let permissions, let group):
            try SocketFile.removeIfStale(path)
            server = try await bootstrap.bind(unixDomainSocketPath: path, childChannelInitializer: initializer)
            try SocketFile.setPermissions(path, permissions: permissions, group: group)
        case .inherited(let descriptor):
            server = try await bootstrap.bind(descriptor, childChannelInitializer: initializer)
        }
        state.withLock { $0.listener = server.channel }
        await onListening()

        try await withThrowingDiscardingTaskGroup { tasks in
            try await server.executeThenClose { inbound in
                for try await connection in inbound {
                    tasks.addTask { await self.serve(connection) }
                }
            }
            // The listener is closed (drain began): in-flight requests get until the drain
            // timeout; the wait ends as soon as the last connection has closed.
            tasks.addTask {
                let deadline = ContinuousClock.now + self.limits.drainTimeout
                while self.connectionCount > 0 && ContinuousClock.now < deadline {
                    try? await Task.sleep(for: .milliseconds(20))
                }
                self.closeAllConnections()
            }
        }
        if case .path(let path, _, _) = endpoint { unlink(path) }
    }

    /// Stops accepting, closes idle connections, and lets busy ones finish their request.
    public func beginDrain() {
        let (listener, connections) = state.withLock { state in
            state.draining = true
            return (state.listener, Array(state.connections.values))
        }
        listener?.close(promise: nil)
        responder.releaseHeldRequests()
        // Idle keep-alive connections close now; busy ones close after their response.
        for (channel, timeouts) in connections {
            channel.eventLoop.execute {
                if timeouts.value.phase == .idle { channel.close(promise: nil) }
            }
        }
    }

    /// How many connections are open.
    public var connectionCount: Int { openConnections.load(ordering: .relaxed) }

    struct Connection: Sendable {
        let channel: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>
        let peer: Peer
        let timeouts: NIOLoopBound<ConnectionTimeouts>
    }

    private func initialize(_ channel: any Channel) -> EventLoopFuture<Connection> {
        if openConnections.loadThenWrappingIncrement(ordering: .relaxed) >= limits.maxConnections {
            openConnections.wrappingDecrement(ordering: .relaxed)
            return channel.close().flatMapThrowing { throw ChannelError.ioOnClosedChannel }
        }
        channel.closeFuture.whenComplete { [self] _ in
            openConnections.wrappingDecrement(ordering: .relaxed)
            _ = state.withLock { $0.connections.removeValue(forKey: ObjectIdentifier(channel)) }
        }
        return PeerCredentials.read(channel).flatMapThrowing { peer in
            let timeouts = ConnectionTimeouts(limits: self.limits)
            let sync = channel.pipeline.syncOperations
            try sync.addHandler(ByteActivityHandler(timeouts: timeouts))
            try sync.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: false)
            try sync.addHandler(RequestPhaseHandler(timeouts: timeouts, maxBodyBytes: self.limits.maxBodyBytes))
            let wrapped = try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
            let bound = NIOLoopBound(timeouts, eventLoop: channel.eventLoop)
            self.state.withLock { $0.connections[ObjectIdentifier(channel)] = (channel, bound) }
            return Connection(channel: wrapped, peer: peer, timeouts: bound)
        }
    }

    private func serve(_ connection: Connection) async {
        let peer = connection.peer
        if !responder.isKnown(peer) { await responder.connectionRefused(peer) }
        do {
            try await connection.channel.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var body: [UInt8] = []
                for try await part in inbound {
                    switch part {
                    case .head(let requestHead):
                        head = requestHead
                        body = []
                    case .body(var buffer):
                        body += buffer.readBytes(length: buffer.readableBytes) ?? []
                    case .end:
                        guard let requestHead = head else { continue }
                        head = nil
                        var headers: [String: String] = [:]
                        for (name, value) in requestHead.headers { headers[name.lowercased()] = value }
                        let request = HTTPRequest(
                            method: requestHead.method.rawValue, uri: requestHead.uri, headers: headers, body: body, peer: peer)
                        let response = await responder.respond(to: request)
                        let draining = state.withLock { $0.draining }
                        let keepAlive = requestHead.isKeepAlive && !draining
                        try await write(response, keepAlive: keepAlive, to: outbound)
                        if !keepAlive { return }
                    }
                }
            }
        } catch {
            logger.debug("connection ended with an error", metadata: ["keyward.peer_uid": "\(peer.uid)", "error": "\(error)"])
        }
    }

    private func write(_ response: HTTPResponse, keepAlive: Bool, to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>)
        async throws
    {
        var headers = HTTPHeaders()
        for (name, value) in response.headers { headers.add(name: name, value: value) }
        headers.add(name: "Content-Length", value: String(response.body.count))
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        try await outbound.write(contentsOf: [
            .head(head),
            .body(.byteBuffer(ByteBuffer(bytes: response.body))),
            .end(nil),
        ])
    }

    private func closeAllConnections() {
        let channels = state.withLock { $0.connections.values.map(\.0) }
        for channel in channels { channel.close(promise: nil) }
    }
}
