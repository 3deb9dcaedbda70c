import Atomics
import Foundation
public import KeywardCore
import Synchronization

/// The published key sets of both modes, and the watchers waiting for the next one.
///
/// Reading is one atomic load. Publishing stores the new snapshot, then wakes every watcher
/// of that mode with it. The caller publishes only after the vault saved the change.
public final class SnapshotBoard: Sendable {
    private let test: ManagedAtomic<PublishedKeySet>
    private let live: ManagedAtomic<PublishedKeySet>
    private let watchers = Mutex<Watchers>(Watchers())

    private struct Watchers {
        var nextID: UInt64 = 0
        /// Set at shutdown: no watch waits any more.
        var released = false
        var waiting: [Mode: [UInt64: CheckedContinuation<PublishedKeySet?, Never>]] = [:]
    }

    public init(contents: VaultContents, access: AccessPolicy) {
        test = ManagedAtomic(PublishedKeySet(mode: .test, state: contents.test, exportPrivateKey: access.test.exportPrivateKey))
        live = ManagedAtomic(PublishedKeySet(mode: .live, state: contents.live, exportPrivateKey: access.live.exportPrivateKey))
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

    /// Makes `snapshot` current for its mode and wakes that mode's watchers. A snapshot
    /// older than the one already published (two commits finishing out of order) is ignored.
    public func publish(_ snapshot: PublishedKeySet) {
        let woken = watchers.withLock { state -> [CheckedContinuation<PublishedKeySet?, Never>] in
            // Under the watchers' lock, so the revision check and the store are one step.
            let reference = snapshot.mode == .test ? test : live
            guard snapshot.revision > reference.load(ordering: .acquiring).revision else { return [] }
            reference.store(snapshot, ordering: .releasing)
            let list = Array(state.waiting[snapshot.mode, default: [:]].values)
            state.waiting[snapshot.mode] = [:]
            return list
        }
        for continuation in woken { continuation.resume(returning: snapshot) }
    }

    /// Answers every waiting watcher now with "no change" (shutdown).
    public func releaseAllWatchers() {
        let all = watchers.withLock { state -> [CheckedContinuation<PublishedKeySet?, Never>] in
            let list = state.waiting.values.flatMap { Array($0.values) }
            state.waiting = [:]
            state.released = true
            return list
        }
        for continuation in all { continuation.resume(returning: nil) }
    }

    /// How many watchers are waiting, per mode (for metrics).
    public func watcherCount(_ mode: Mode) -> Int {
        watchers.withLock { $0.waiting[mode]?.count ?? 0 }
    }

    /// The mode's snapshot as soon as its revision differs from `revision`: at once if it
    /// already does, else when the next one is published, or nil after `timeout`.
    public func next(_ mode: Mode, after revision: Int, timeout: Duration) async -> PublishedKeySet? {
        let now = current(mode)
        if now.revision != revision { return now }
        let id = watchers.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.resumeWatcher(mode, id, with: nil)
        }
        defer { timer.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<PublishedKeySet?, Never>) in
                let published = watchers.withLock { state -> PublishedKeySet? in
                    // A publish may have landed between the first check and this registration.
                    let latest = current(mode)
                    if latest.revision != revision || state.released { return latest }
                    state.waiting[mode, default: [:]][id] = continuation
                    return nil
                }
                if let published { continuation.resume(returning: published.revision != revision ? published : nil) }
            }
        } onCancel: {
            self.resumeWatcher(mode, id, with: nil)
        }
    }

    private func resumeWatcher(_ mode: Mode, _ id: UInt64, with value: PublishedKeySet?) {
        let continuation = watchers.withLock { $0.waiting[mode]?.removeValue(forKey: id) }
        continuation?.resume(returning: value)
    }
}
