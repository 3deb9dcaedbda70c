import Atomics
import Foundation
public import KeywardConfiguration
public import Logging
import NIOCore
public import NIOPosix
import Synchronization

/// HTTP/1.1 with keep-alive over a Unix stream socket.
///
/// Each accepted connection's peer is read with SO_PEERCRED before any HTTP handler is
/// added. A `RequestHandler` per connection answers requests in order, on the event loop
/// when the responder can (see `RequestResponder`); a failure in one connection is logged
/// and never stops the server. `beginDrain()` stops accepting, closes idle connections,
/// lets in-flight requests finish within `drainTimeout`, then `run()` returns.
public final class KeywardHTTPServer: Sendable {
    private let endpoint: ListenEndpoint
    private let limits: ServerLimits
    private let responder: any RequestResponder
    private let logger: Logger
    private let group: MultiThreadedEventLoopGroup
    private let openConnections = ManagedAtomic<Int>(0)
    private let shared = ServerState()
    private let state = Mutex<State>(State())

    private struct State {
        var listener: (any Channel)?
        var connections: [ObjectIdentifier: (any Channel, NIOLoopBound<ConnectionTimeouts>)] = [:]
        /// Waiting for the last connection to close (the drain), resumed once.
        var drainWaiters: [DrainWaiter] = []
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
            .childChannelInitializer { [self] channel in self.initialize(channel) }
        let listener: any Channel
        switch endpoint {
        case .path(let path, let permissions, let group):
            try SocketFile.removeIfStale(path)
            listener = try await bootstrap.bind(unixDomainSocketPath: path).get()
            try SocketFile.setPermissions(path, permissions: permissions, group: group)
        case .inherited(let descriptor):
            listener = try await bootstrap.withBoundSocket(descriptor).get()
        }
        state.withLock { $0.listener = listener }
        await onListening()

        try await withTaskCancellationHandler {
            try await listener.closeFuture.get()
        } onCancel: {
            listener.close(promise: nil)
        }
        // The listener is closed (drain began): in-flight requests get until the drain
        // timeout; the wait ends the moment the last connection closes (no polling).
        await waitForNoConnections(atMost: limits.drainTimeout)
        closeAllConnections()
        if case .path(let path, _, _) = endpoint { unlink(path) }
    }

    /// Stops accepting, closes idle connections, and lets busy ones finish their request.
    public func beginDrain() {
        shared.beginDraining()
        let (listener, connections) = state.withLock { state in
            (state.listener, Array(state.connections.values))
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

    /// Returns when no connection is open, or after `timeout`, whichever comes first.
    func waitForNoConnections(atMost timeout: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let waiter = DrainWaiter(continuation)
            let idle = state.withLock { state -> Bool in
                if openConnections.load(ordering: .relaxed) == 0 { return true }
                state.drainWaiters.append(waiter)
                return false
            }
            if idle { return waiter.resume() }
            Task {
                try? await Task.sleep(for: timeout)
                waiter.resume()
            }
        }
    }

    private func initialize(_ channel: any Channel) -> EventLoopFuture<Void> {
        if openConnections.loadThenWrappingIncrement(ordering: .relaxed) >= limits.maxConnections {
            openConnections.wrappingDecrement(ordering: .relaxed)
            return channel.close()
        }
        channel.closeFuture.whenComplete { [self] _ in
            let waiters = state.withLock { state -> [DrainWaiter] in
                state.connections.removeValue(forKey: ObjectIdentifier(channel))
                guard openConnections.wrappingDecrementThenLoad(ordering: .relaxed) == 0 else { return [] }
                defer { state.drainWaiters.removeAll() }
                return state.drainWaiters
            }
            for waiter in waiters { waiter.resume() }
        }
        return PeerCredentials.read(channel).flatMapThrowing { peer in
            let timeouts = try ConnectionPipeline.install(
                on: channel, peer: peer, limits: self.limits, responder: self.responder, server: self.shared, logger: self.logger)
            let bound = NIOLoopBound(timeouts, eventLoop: channel.eventLoop)
            self.state.withLock { $0.connections[ObjectIdentifier(channel)] = (channel, bound) }
            if !self.responder.isKnown(peer) {
                let responder = self.responder
                Task { await responder.connectionRefused(peer) }
            }
        }
    }

    private func closeAllConnections() {
        let channels = state.withLock { $0.connections.values.map(\.0) }
        for channel in channels { channel.close(promise: nil) }
    }
}

/// One wait for the drain: resumed by the last connection's close or by the timeout, once.
final class DrainWaiter: Sendable {
    private let continuation: Mutex<CheckedContinuation<Void, Never>?>

    init(_ continuation: CheckedContinuation<Void, Never>) { self.continuation = Mutex(continuation) }

    func resume() {
        continuation.withLock { continuation in
            continuation?.resume()
            continuation = nil
        }
    }
}

/// What every connection of one server shares.
package final class ServerState: Sendable {
    package init() {}

    private let draining = ManagedAtomic<Bool>(false)

    /// Whether shutdown began: responses then close their connection.
    var isDraining: Bool { draining.load(ordering: .relaxed) }

    func beginDraining() { draining.store(true, ordering: .relaxed) }
}
