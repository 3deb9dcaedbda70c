public import KeywardCore

/// Anything that answers complete requests; `Router` in production.
///
/// The server first offers every request to `answerAtOnce` on the connection's event loop.
/// Only when that says `.later` does the request go to `respond(to:)` on the concurrency
/// pool; the two must give the same answer for the same request.
public protocol RequestResponder: Sendable {
    /// The answer when it needs no waiting on anything but a commit: no vault access, no
    /// audit entry, no key operation. Runs on an event loop, so it must not block.
    func answerAtOnce(_ request: HTTPRequest) -> ImmediateAnswer
    func respond(to request: HTTPRequest) async -> HTTPResponse
    /// Called once for a connection whose peer has no role at all (for the audit log).
    func connectionRefused(_ peer: Peer) async
    /// Whether the peer has any role; a peer without one gets 403 on every request.
    func isKnown(_ peer: Peer) -> Bool
    /// Shutdown began: answer every held request (watches) now.
    func releaseHeldRequests()
}

/// What `answerAtOnce` decided.
public enum ImmediateAnswer: Sendable {
    /// Send this now.
    case response(HTTPResponse)
    /// Park the request until the next commit or the timeout, then send what `held` says.
    case hold(HeldRequest)
    /// Needs the full, asynchronous path.
    case later
}

/// A long-poll the server parks on the snapshot board.
public struct HeldRequest: Sendable {
    public let board: SnapshotBoard
    public let mode: Mode
    /// Wakes when the mode's revision differs from this one.
    public let revision: Int
    public let timeout: Duration
    /// The answer for the new snapshot, or for nil (timeout, shutdown, no change):
    /// `.response`, or `.later` to send the request the full way now (never `.hold`).
    public let answer: @Sendable (PublishedKeySet?) -> ImmediateAnswer

    public init(
        board: SnapshotBoard, mode: Mode, revision: Int, timeout: Duration,
        answer: @escaping @Sendable (PublishedKeySet?) -> ImmediateAnswer
    ) {
        self.board = board
        self.mode = mode
        self.revision = revision
        self.timeout = timeout
        self.answer = answer
    }
}
