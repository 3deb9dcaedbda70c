public import Foundation

/// The time limits of rotations, from the configuration.
public struct RotationPolicy: Sendable, Equatable {
    /// How long the previous key set stays servable and can be rolled back to. Default 24 h.
    public var graceWindow: TimeInterval
    /// How long a pending rotation may wait for its platform key or its commit. Default 7 d;
    /// `pendingLifetimes` sets it per mode.
    public var pendingLifetime: TimeInterval
    /// A mode's own pending lifetime (`[mode.X] pending_lifetime_days`), over the default.
    public var pendingLifetimes: [Mode: TimeInterval] = [:]
    /// How many committed-set summaries each mode keeps. Default 100.
    public var historyLimit: Int

    public init(graceWindow: TimeInterval = 24 * 3600, pendingLifetime: TimeInterval = 7 * 24 * 3600, historyLimit: Int = 100) {
        self.graceWindow = graceWindow
        self.pendingLifetime = pendingLifetime
        self.historyLimit = historyLimit
    }

    /// How long a pending rotation of `mode` may wait.
    public func pendingLifetime(_ mode: Mode) -> TimeInterval {
        pendingLifetimes[mode] ?? pendingLifetime
    }
}
