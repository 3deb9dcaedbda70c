import Foundation
import KeywardServer
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// The watchdog's probe: pings stop while an event loop (or the probed actor) is wedged, and
/// come back when it answers again.
@Suite("liveness probe for the watchdog")
struct LivenessProbeTests {
    /// Counts pings and misses; ticks are sent by the test.
    final class Pings: Sendable {
        let counts = Mutex((pinged: 0, missed: 0))
        var pinged: Int { counts.withLock { $0.pinged } }
        var missed: Int { counts.withLock { $0.missed } }
    }

    actor Busy {
        func idle() {}
        /// Holds the actor until `release` is signalled (a wedged vault).
        func wedge(_ release: DispatchSemaphore) { release.wait() }
    }

    @Test("a wedged event loop stops the pings; once it runs again they resume")
    func wedgedLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let probe = LivenessProbe(group: group, deadline: .milliseconds(300)) {}
        let pings = Pings()
        let (ticks, tick) = AsyncStream.makeStream(of: Void.self)
        let running = Task {
            await probe.run(ticks: ticks) {
                pings.counts.withLock { $0.pinged += 1 }
            } missed: {
                pings.counts.withLock { $0.missed += 1 }
            }
        }

        func tickAndWait() async {
            let before = pings.pinged + pings.missed
            tick.yield()
            while pings.pinged + pings.missed == before { try? await Task.sleep(for: .milliseconds(5)) }
        }

        /// Ticks until a check passes (a loaded machine may miss a deadline now and then).
        func tickUntilPinged(after count: Int) async -> Bool {
            for _ in 0..<50 {
                await tickAndWait()
                if pings.pinged > count { return true }
            }
            return false
        }

        #expect(await tickUntilPinged(after: 0), "a healthy group never passed a check")
        let healthy = (pinged: pings.pinged, missed: pings.missed)

        let release = DispatchSemaphore(value: 0)
        let loops = Array(group.makeIterator())
        loops[1].execute { release.wait() }  // the loop runs nothing else until released
        await tickAndWait()
        await tickAndWait()
        #expect(
            pings.pinged == healthy.pinged && pings.missed == healthy.missed + 2, "pinged \(pings.pinged), missed \(pings.missed)")

        release.signal()
        // The outstanding probe finishes once the loop runs; then checks pass again.
        #expect(await tickUntilPinged(after: healthy.pinged), "the pings did not resume after the loop was released")
        tick.finish()
        await running.value
        try await group.shutdownGracefully()
    }

    @Test("a wedged actor stops the pings too")
    func wedgedActor() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let busy = Busy()
        let probe = LivenessProbe(group: group, deadline: .milliseconds(300)) { await busy.idle() }
        var passed = false
        for _ in 0..<50 where !passed { passed = await probe.check() }
        #expect(passed, "a healthy actor never passed a check")
        let release = DispatchSemaphore(value: 0)
        let wedged = Task.detached { await busy.wedge(release) }
        try await Task.sleep(for: .milliseconds(50))
        #expect(!(await probe.check()))
        #expect(!(await probe.check()), "a second check while the first probe is outstanding must fail at once")
        release.signal()
        await wedged.value
        var healthy = false
        for _ in 0..<50 where !healthy {
            healthy = await probe.check()
            if !healthy { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(healthy)
        try await group.shutdownGracefully()
    }
}
