import Foundation
import KeywardServer
import KeywardSystemd
import Synchronization

/// Sends `STATUS=` to systemd after every change, one update at a time.
final class StatusReporter: Sendable {
    private let notifier: SystemdNotifier
    private let service = Mutex<KeywardService?>(nil)
    /// Every change also asks the lifecycle monitor to look again.
    let lifecycleChecks = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))

    init(notifier: SystemdNotifier) {
        self.notifier = notifier
    }

    /// STATUS again, without asking the lifecycle monitor (it calls this after its check).
    func statusOnly() {
        guard let service = service.withLock({ $0 }) else { return }
        Task { notifier.notify(.status(await service.statusLine())) }
    }

    func attach(_ service: KeywardService) {
        self.service.withLock { $0 = service }
    }

    /// The fleet store went away (since that time) or came back (nil).
    func storeReachabilityChanged(_ since: Date?) {
        guard let service = service.withLock({ $0 }) else { return }
        service.storeReachabilityChanged(unreachableSince: since)
    }

    func changed() {
        lifecycleChecks.continuation.yield()
        statusOnly()
    }
}
