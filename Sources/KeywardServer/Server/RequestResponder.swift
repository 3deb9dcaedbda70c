public import KeywardCore

/// Anything that answers complete requests; `Router` in production.
///
/// The server offers every request to `answer(_:)` on the connection's event loop, once. The
/// answer says how the request goes on: sent now, parked as a watch, or run as work on the
/// concurrency pool.
public protocol RequestResponder: Sendable {
    /// Decides, without blocking: what needs no waiting (no vault access, no audit entry, no
    /// key operation) is answered now; the rest is handed back as work.
    func answer(_ request: HTTPRequest) -> ImmediateAnswer
    /// Called once for a connection whose peer has no role at all (for the audit log).
    func connectionRefused(_ peer: Peer) async
    /// Whether the peer has any role; a peer without one gets 403 on every request.
    func isKnown(_ peer: Peer) -> Bool
    /// Shutdown began: answer every held request (watches) now.
    func releaseHeldRequests()
}

/// Work that produces a response off the event loop (vault access, audit entries, keys).
public typealias ResponseWork = @Sendable () async -> HTTPResponse

/// Work that answers through `reply`, called once, from any thread. Many requests can wait
/// for one event this way without a task each (a thousand watchers woken by one commit wait
/// for one audit entry).
public typealias ResponseCallback = @Sendable (_ reply: @escaping @Sendable (HTTPResponse) -> Void) -> Void

/// How a request goes on.
public enum ImmediateAnswer: Sendable {
    /// Send this now.
    case response(HTTPResponse)
    /// Park the request until the next commit or the timeout, then send what `held` says.
    case hold(HeldRequest)
    /// Run this on the concurrency pool and send what it returns.
    case later(ResponseWork)
    /// Run this on the signing pool's threads and send what it returns (no concurrency hop).
    case pooled(SigningPool, @Sendable () -> HTTPResponse)
    /// Start this and send what it replies.
    case deferred(ResponseCallback)
}

/// What a held request becomes when its watch ends: never another hold.
public enum HeldAnswer: Sendable {
    case response(HTTPResponse)
    case later(ResponseWork)
    case deferred(ResponseCallback)

    var immediate: ImmediateAnswer {
        switch self {
        case .response(let response): .response(response)
        case .later(let work): .later(work)
        case .deferred(let start): .deferred(start)
        }
    }
}

/// A long-poll the server parks on the snapshot board.
public struct HeldRequest: Sendable {
    public let board: SnapshotBoard
    public let mode: Mode
    /// Wakes when the mode's revision differs from this one.
    public let revision: Int
    public let timeout: Duration
    /// The answer for the new snapshot, or for nil (timeout, shutdown, no change).
    public let answer: @Sendable (PublishedKeySet?) -> HeldAnswer

    public init(
        board: SnapshotBoard, mode: Mode, revision: Int, timeout: Duration, answer: @escaping @Sendable (PublishedKeySet?) -> HeldAnswer
    ) {
        self.board = board
        self.mode = mode
        self.revision = revision
        self.timeout = timeout
        self.answer = answer
    }

    /// The same watch with its answer passed through `transform` (metrics).
    func mapAnswer(_ transform: @escaping @Sendable (HeldAnswer) -> HeldAnswer) -> HeldRequest {
        let answer = self.answer
        return HeldRequest(board: board, mode: mode, revision: revision, timeout: timeout) { transform(answer($0)) }
    }
}

extension ImmediateAnswer {
    /// The response, waiting for what the answer waits for: the way a connection would send
    /// it, for callers outside the event loop (tests, fuzzing, the CLI's in-process checks).
    public func resolved() async -> HTTPResponse {
        switch self {
        case .response(let response):
            return response
        case .later(let work):
            return await work()
        case .pooled(let pool, let job):
            return await withCheckedContinuation { continuation in pool.submit { continuation.resume(returning: job()) } }
        case .deferred(let start):
            return await withCheckedContinuation { continuation in start { continuation.resume(returning: $0) } }
        case .hold(let held):
            let next = await held.board.next(held.mode, after: held.revision, timeout: held.timeout)
            return await held.answer(next).immediate.resolved()
        }
    }
}
