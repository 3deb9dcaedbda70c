public import Foundation

/// Remembers what the daemon last saw of each lifecycle item, to tell changes (for the alert
/// hook) and daily reminders (for the journal) from the rest. A value: the monitor owns one.
public struct LifecycleTracker: Sendable {
    /// How often an item that is not ok is written to the journal again.
    public static let reminderInterval: TimeInterval = 24 * 3600

    struct Key: Hashable {
        let mode: Mode
        let kind: LifecycleKind
    }

    private var states: [Key: LifecycleState] = [:]
    private var backupRemindedAt: Date?
    private var reminded: [Key: Date] = [:]

    public init() {}

    /// What to do about `report`, seen at `now`.
    public struct Observation: Sendable, Equatable {
        /// Items whose state changed since the last observation (a first sight counts only
        /// when it is not ok): each runs the alert hook.
        public var changed: [LifecycleItem] = []
        /// Items that are not ok and were not written to the journal in the last day (or just
        /// changed): each is written once.
        public var remind: [LifecycleItem] = []
    }

    public mutating func observe(_ report: [Mode: ModeLifecycle], at now: Date) -> Observation {
        var observation = Observation()
        var seen: Set<Key> = []
        for mode in Mode.allCases {
            for item in report[mode]?.items ?? [] {
                let key = Key(mode: mode, kind: item.kind)
                seen.insert(key)
                let previous = states[key]
                states[key] = item.state
                let changed = previous.map { $0 != item.state } ?? (item.state != .ok)
                if changed { observation.changed.append(item) }
                guard item.state != .ok else {
                    reminded[key] = nil
                    continue
                }
                if changed || reminded[key].map({ now.timeIntervalSince($0) >= Self.reminderInterval }) ?? true {
                    reminded[key] = now
                    observation.remind.append(item)
                }
            }
        }
        // An item that went away (a rotation committed or aborted) starts afresh next time.
        for key in states.keys where !seen.contains(key) {
            states[key] = nil
            reminded[key] = nil
        }
        return observation
    }

    /// Whether the backup warning (`warning`: whether there is one now) is due in the journal:
    /// at once, then once a day while it lasts.
    public mutating func remindBackup(_ warning: Bool, at now: Date) -> Bool {
        guard warning else {
            backupRemindedAt = nil
            return false
        }
        guard backupRemindedAt.map({ now.timeIntervalSince($0) >= Self.reminderInterval }) ?? true else { return false }
        backupRemindedAt = now
        return true
    }
}
