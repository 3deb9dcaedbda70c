import CKeywardSystemd
import Glibc

/// Tells the service manager about the daemon's state through `sd_notify`.
///
/// Outside systemd (no `NOTIFY_SOCKET`), every call is a cheap no-op, so the daemon calls
/// it unconditionally.
public struct SystemdNotifier: Sendable {
    public init() {}

    /// Whether a service manager listens (`NOTIFY_SOCKET` is set).
    public var isListening: Bool {
        getenv("NOTIFY_SOCKET") != nil
    }

    /// Sends `messages` as one datagram. Returns false if nothing listens or sending failed;
    /// a failed notification is never fatal to the daemon.
    @discardableResult
    public func notify(_ messages: NotifyMessage...) -> Bool {
        notify(messages)
    }

    /// Sends `messages` as one datagram.
    @discardableResult
    public func notify(_ messages: [NotifyMessage]) -> Bool {
        let text = messages.map(\.line).joined(separator: "\n")
        return sd_notify(0, text) > 0
    }

    /// How often to ping the watchdog: half of `WATCHDOG_USEC` when the watchdog is enabled
    /// for this process, nil otherwise.
    public var watchdogPingInterval: Duration? {
        var microseconds: UInt64 = 0
        guard sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else { return nil }
        return .microseconds(Int64(microseconds / 2))
    }
}
