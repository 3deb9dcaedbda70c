import Foundation
import KeywardServer
import KeywardSystemd
import Logging
import ServiceLifecycle

/// Pings the systemd watchdog at half of WATCHDOG_USEC, each time only after a probe ran on
/// every event loop and on the vault actor within that interval (`LivenessProbe`): a wedged
/// loop or actor stops the pings, and systemd restarts the daemon.
struct WatchdogService: Service {
    let notifier: SystemdNotifier
    let interval: Duration
    let probe: LivenessProbe
    let logger: Logger

    func run() async throws {
        logger.info("watchdog enabled: pinging every \(interval) while every event loop and the vault answer")
        #if DEBUG
            // A debug-only fault switch for the watchdog test: stop pinging after N seconds.
            let stallAfter = ProcessInfo.processInfo.environment["KEYWARD_DEBUG_STALL_WATCHDOG_AFTER"].flatMap(Double.init)
            let started = ContinuousClock.now
        #else
            let stallAfter: Double? = nil
            let started = ContinuousClock.now
        #endif
        let ticks = AsyncTimerSequence(interval: interval).cancelOnGracefulShutdown().filter { _ in
            guard let stallAfter else { return true }
            return ContinuousClock.now - started <= .milliseconds(Int64(stallAfter * 1000))
        }
        await probe.run(ticks: ticks) { [notifier] in
            notifier.notify(.watchdog)
        } missed: { [logger, interval] in
            logger.warning("watchdog: an event loop or the vault did not answer within \(interval); not pinging systemd")
        }
    }
}

/// Ticks every `interval` until cancelled.
struct AsyncTimerSequence: AsyncSequence, Sendable {
    typealias Element = Void
    let interval: Duration

    struct AsyncIterator: AsyncIteratorProtocol {
        let interval: Duration
        mutating func next() async -> Void? {
            do {
                try await Task.sleep(for: interval)
                return ()
            } catch {
                return nil
            }
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(interval: interval) }
}
