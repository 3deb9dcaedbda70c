import Atomics
import Foundation
public import KeywardConfiguration
public import KeywardCore
import Synchronization

/// The published key sets of both modes, and the watchers waiting for the next one.
///
/// Reading is one atomic load. Publishing stores the new snapshot, then calls every watcher
/// of that mode with it. The caller publishes only after the vault saved the change.
///
/// A watcher is a closure, not a task: the HTTP server parks a long-poll here and answers it
/// on the connection's event loop, so a commit wakes a thousand watchers without a thousand
/// task switches.
public final class SnapshotBoard: Sendable {
    /// Called exactly once: with the new snapshot, or with nil when the watch was cancelled
    /// or the board released its watchers (shutdown).
    public typealias WatchHandler = @Sendable (PublishedKeySet?) -> Void

    /// A parked watch, for `cancelWatch`.
    public struct WatchTicket: Sendable, Hashable {
        let mode: Mode
        let id: UInt64
    }

    private let test: ManagedAtomic<PublishedKeySet>
    private let live: ManagedAtomic<PublishedKeySet>
    private let watchers = Mutex<Watchers>(Watchers())

    private struct Watchers {
        var nextID: UInt64 = 0
        /// Set at shutdown: no watch waits any more.
        var released = false
        var waiting: [Mode: [UInt64: WatchHandler]] = [.test: [:], .live: [:]]
    }

    public init(contents: VaultContents, access: AccessPolicy) {
        test = ManagedAtomic(PublishedKeySet(mode: .test, state: contents.test, exportPrivateKey: Self.exports(access.test, contents.test)))
        live = ManagedAtomic(PublishedKeySet(mode: .live, state: contents.live, exportPrivateKey: Self.exports(access.live, contents.live)))
    }

    /// Whether a snapshot carries the private key: the configuration asks for it and, under
    /// two-person control, a second operator approved it.
    static func exports(_ access: AccessPolicy.ModeAccess, _ state: ModeState) -> Bool {
        access.exportPrivateKey && (access.approvals < 2 || state.exportApproval != nil)
    }

    /// Replaces a mode's snapshot with one of the same revision (the export policy changed
    /// on reload). Watchers are not woken: the key set did not change.
    public func republish(_ snapshot: PublishedKeySet) {
        watchers.withLock { _ in
            let reference = snapshot.mode == .test ? test : live
            guard snapshot.revision >= reference.load(ordering: .acquiring).revision else { return }
            reference.store(snapshot, ordering: .releasing)
        }
    }

    /// The snapshot a reader of `mode` gets now.
    public func current(_ mode: Mode) -> PublishedKeySet {
        (mode == .test ? test : live).load(ordering: .acquiring)
    }

    /// Makes `snapshot` current for its mode and calls that mode's watchers. A snapshot
    /// older than the one already published (two commits finishing out of order) is ignored.
    public func publish(_ snapshot: PublishedKeySet) {
        let woken = watchers.withLock { state -> [UInt64: WatchHandler] in
            // Under the watchers' lock, so the revision check and the store are one step.
            let reference = snapshot.mode == .test ? test : live
            guard snapshot.revision > reference.load(ordering: .acquiring).revision else { return [:] }
            reference.store(snapshot, ordering: .releasing)
            defer { state.waiting[snapshot.mode] = [:] }
            return state.waiting[snapshot.mode, default: [:]]
        }
        for handler in woken.values { handler(snapshot) }
    }

    /// Answers every waiting watcher now with "no change" (shutdown); later watches are
    /// answered at once.
    public func releaseAllWatchers() {
        let all = watchers.withLock { state -> [WatchHandler] in
            let list = state.waiting.values.flatMap { Array($0.values) }
            state.waiting = [.test: [:], .live: [:]]
            state.released = true
            return list
        }
        for handler in all { handler(nil) }
    }

    /// How many watchers are waiting, per mode (for metrics).
    public func watcherCount(_ mode: Mode) -> Int {
        watchers.withLock { $0.waiting[mode]?.count ?? 0 }
    }

    /// Parks `handler` until `mode`'s revision differs from `revision`. If it already does,
    /// or the board was released, calls `handler` before returning and returns nil.
    public func watch(_ mode: Mode, after revision: Int, handler: @escaping WatchHandler) -> WatchTicket? {
        let outcome = watchers.withLock { state -> (WatchTicket?, PublishedKeySet?) in
            // Under the lock, so a publish cannot slip between the check and the parking.
            let latest = current(mode)
            if latest.revision != revision { return (nil, latest) }
            if state.released { return (nil, nil) }
            state.nextID += 1
            state.waiting[mode, default: [:]][state.nextID] = handler
            return (WatchTicket(mode: mode, id: state.nextID), nil)
        }
        if outcome.0 == nil { handler(outcome.1) }
        return outcome.0
    }

    /// Calls a parked watch's handler with nil, unless a publish already called it.
    public func cancelWatch(_ ticket: WatchTicket) {
        let handler = watchers.withLock { $0.waiting[ticket.mode]?.removeValue(forKey: ticket.id) }
        handler?(nil)
    }

    /// The mode's snapshot as soon as its revision differs from `revision`: at once if it
    /// already does, else when the next one is published, or nil after `timeout`.
    public func next(_ mode: Mode, after revision: Int, timeout: Duration) async -> PublishedKeySet? {
        let now = current(mode)
        if now.revision != revision { return now }
        // The timer or a cancellation may come before `watch` has returned the ticket.
        let parking = Mutex<(ticket: WatchTicket?, ended: Bool)>((nil, false))
        let end: @Sendable () -> Void = {
            let ticket = parking.withLock { state -> WatchTicket? in
                state.ended = true
                return state.ticket
            }
            if let ticket { self.cancelWatch(ticket) }
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            end()
        }
        defer { timer.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<PublishedKeySet?, Never>) in
                guard let ticket = watch(mode, after: revision, handler: { continuation.resume(returning: $0) }) else { return }
                let endedAlready = parking.withLock { state -> Bool in
                    state.ticket = ticket
                    return state.ended
                }
                if endedAlready { cancelWatch(ticket) }
            }
        } onCancel: {
            end()
        }
    }
}
