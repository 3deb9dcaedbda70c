public import Foundation
public import KeywardCore
import Synchronization

/// A clock that moves only when a test says so.
public final class ManualClock: KeywardClock {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_790_000_000)) {
        current = Mutex(start)
    }

    public func now() -> Date { current.withLock { $0 } }

    public func advance(by interval: TimeInterval) {
        current.withLock { $0 += interval }
    }
}
