public import NIOCore
import Synchronization

/// Whether the daemon still works, as systemd's watchdog should see it: a probe must run on
/// every event loop (a wedged loop stops every connection it owns) and on the vault actor
/// (a wedged actor stops every control action) within `deadline`.
///
/// A probe that has not come back is not started again: while it is outstanding every check
/// says "not healthy" at once, so a wedged daemon stops pinging and systemd restarts it.
public final class LivenessProbe: Sendable {
    private let loops: [any EventLoop]
    private let deadline: Duration
    private let probeActor: @Sendable () async -> Void
    /// Whether a probe is still waiting for a loop or the actor to run it.
    private let outstanding = Mutex(false)

    /// `probeActor` must hop onto each actor whose liveness matters (for keywardd, the vault).
    public init(loops: [any EventLoop], deadline: Duration, probeActor: @escaping @Sendable () async -> Void) {
        self.loops = loops
        self.deadline = deadline
        self.probeActor = probeActor
    }

    /// The event loops of `group`.
    public convenience init(group: any EventLoopGroup, deadline: Duration, probeActor: @escaping @Sendable () async -> Void) {
        self.init(loops: Array(group.makeIterator()), deadline: deadline, probeActor: probeActor)
    }

    /// True when every loop and the actor ran a probe within the deadline.
    public func check() async -> Bool {
        let started = outstanding.withLock { busy -> Bool in
            if busy { return false }
            busy = true
            return true
        }
        guard started else { return false }
        let answer = Answer()
        return await withCheckedContinuation { continuation in
            answer.set(continuation)
            Task { [self] in
                for loop in loops { try? await loop.submit {}.get() }
                await probeActor()
                outstanding.withLock { $0 = false }
                answer.give(true)
            }
            let deadline = self.deadline
            Task {
                try? await Task.sleep(for: deadline)
                answer.give(false)
            }
        }
    }

    /// Runs `ping` after each tick whose check passed, and `missed` after each that did not,
    /// until `ticks` ends.
    public func run<Ticks: AsyncSequence>(ticks: Ticks, ping: @Sendable () -> Void, missed: @Sendable () -> Void) async
    where Ticks.Element == Void, Ticks.Failure == Never {
        for await _ in ticks {
            if await check() { ping() } else { missed() }
        }
    }

    /// The first of two answers wins; the other is dropped.
    private final class Answer: Sendable {
        private let continuation = Mutex<CheckedContinuation<Bool, Never>?>(nil)

        func set(_ continuation: CheckedContinuation<Bool, Never>) { self.continuation.withLock { $0 = continuation } }

        func give(_ value: Bool) {
            continuation.withLock { continuation in
                continuation?.resume(returning: value)
                continuation = nil
            }
        }
    }
}
