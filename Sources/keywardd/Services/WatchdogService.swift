import Foundation
import KeywardSystemd
import Logging
import ServiceLifecycle

/// Pings the systemd watchdog at half of WATCHDOG_USEC while the event loops answer.
struct WatchdogService: Service {
    let notifier: SystemdNotifier
    let interval: Duration
    let logger: Logger

    func run() async throws {
        logger.info("watchdog enabled: pinging every \(interval)")
        #if DEBUG
            // A debug-only fault switch for the watchdog test: stop pinging after N seconds.
            let stallAfter = ProcessInfo.processInfo.environment["KEYWARD_DEBUG_STALL_WATCHDOG_AFTER"].flatMap(Double.init)
            let started = ContinuousClock.now
        #endif
        for await _ in AsyncTimerSequence(interval: interval).cancelOnGracefulShutdown() {
            #if DEBUG
                if let stallAfter, ContinuousClock.now - started > .milliseconds(Int64(stallAfter * 1000)) { continue }
            #endif
            notifier.notify(.watchdog)
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
