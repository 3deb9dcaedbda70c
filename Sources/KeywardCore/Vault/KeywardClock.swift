public import Foundation

/// The source of "now" for grace windows and expiry; injected so tests can move time.
public protocol KeywardClock: Sendable {
    func now() -> Date
}

/// The wall clock.
public struct SystemClock: KeywardClock {
    public init() {}
    public func now() -> Date { Date() }
}
