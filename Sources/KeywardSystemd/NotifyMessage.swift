/// One field of an sd_notify(3) message.
public enum NotifyMessage: Sendable, Equatable {
    /// Startup or reload finished: the service is ready.
    case ready
    /// A reload began; `monotonicMicroseconds` is CLOCK_MONOTONIC now (systemd 253+ needs it).
    case reloading(monotonicMicroseconds: UInt64)
    /// Shutdown began.
    case stopping
    /// A one-line, human-readable status shown by `systemctl status`.
    case status(String)
    /// The watchdog keep-alive ping.
    case watchdog
    /// Ask systemd to act as if the watchdog expired.
    case watchdogTrigger

    /// The `KEY=value` line. Line breaks in a status are folded into spaces so a status can
    /// never inject another field.
    public var line: String {
        switch self {
        case .ready: "READY=1"
        case .reloading(let microseconds): "RELOADING=1\nMONOTONIC_USEC=\(microseconds)"
        case .stopping: "STOPPING=1"
        case .status(let text): "STATUS=" + text.split(whereSeparator: \.isNewline).joined(separator: " ")
        case .watchdog: "WATCHDOG=1"
        case .watchdogTrigger: "WATCHDOG=trigger"
        }
    }
}
