/// Keeps a peer with no role from filling the audit log: per uid, the first refusal of each
/// minute is recorded (saying how many more the minute before had), the rest only counted.
struct RefusalLimiter: Sendable {
    static let window: Duration = .seconds(60)
    /// Peers remembered at most; older windows are dropped first.
    static let capacity = 4096

    private var windows: [UInt32: (start: ContinuousClock.Instant, suppressed: Int)] = [:]

    /// Whether to record this refusal; if so, how many refusals of this uid went unrecorded in
    /// its previous window.
    mutating func admit(_ uid: UInt32, at now: ContinuousClock.Instant) -> (record: Bool, suppressedBefore: Int) {
        if let window = windows[uid], now - window.start < Self.window {
            windows[uid] = (window.start, window.suppressed + 1)
            return (false, 0)
        }
        let before = windows[uid]?.suppressed ?? 0
        if windows.count >= Self.capacity {
            windows = windows.filter { now - $0.value.start < Self.window }
        }
        windows[uid] = (now, 0)
        return (true, before)
    }
}
