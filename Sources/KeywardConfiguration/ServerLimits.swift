/// Bounds that keep one client from starving the others.
public struct ServerLimits: Sendable, Equatable {
    /// Largest request body; larger gets 413. Default 64 KiB.
    public var maxBodyBytes: Int
    /// From the first byte of a request to its end; slower gets 408. Default 10 s.
    public var requestTimeout: Duration
    /// How long a keep-alive connection may sit idle between requests. Default 60 s.
    public var idleTimeout: Duration
    /// The longest `?wait=` a watch may ask for. Default 60 s.
    public var maxWait: Duration
    /// How long shutdown waits for in-flight requests. Default 10 s.
    public var drainTimeout: Duration
    /// Connections beyond this are closed at once. Default 4096.
    public var maxConnections: Int
    /// Event-loop threads that serve connections; 0 (the default): half the cores, at least one.
    /// Signing has its own threads (one per core, at lower priority), so the loops need not
    /// cover every core: on a host shared with the payment service, fewer loops cost less CPU per
    /// request and answer with less jitter (docs/performance.md).
    public var eventLoops: Int

    public init(
        maxBodyBytes: Int = 64 * 1024,
        requestTimeout: Duration = .seconds(10),
        idleTimeout: Duration = .seconds(60),
        maxWait: Duration = .seconds(60),
        drainTimeout: Duration = .seconds(10),
        maxConnections: Int = 4096,
        eventLoops: Int = 0
    ) {
        self.maxBodyBytes = maxBodyBytes
        self.requestTimeout = requestTimeout
        self.idleTimeout = idleTimeout
        self.maxWait = maxWait
        self.drainTimeout = drainTimeout
        self.maxConnections = maxConnections
        self.eventLoops = eventLoops
    }

    /// How many event loops to run on a host with `cores` cores.
    public func eventLoopThreads(cores: Int) -> Int {
        eventLoops > 0 ? eventLoops : max(1, cores / 2)
    }
}
