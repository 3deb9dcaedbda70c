/// The request body of a route that takes none (the client sends no body; the daemon
/// ignores one).
public struct NoBody: Codable, Sendable, Equatable {
    public init() {}
}
