import Foundation
import KeywardServer
import KeywardSystemd
import Synchronization

/// Sends `STATUS=` to systemd after every change, one update at a time.
final class StatusReporter: Sendable {
    private let notifier: SystemdNotifier
    private let service = Mutex<KeywardService?>(nil)

    init(notifier: SystemdNotifier) {
        self.notifier = notifier
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
        guard let service = service.withLock({ $0 }) else { return }
        Task { notifier.notify(.status(await service.statusLine())) }
    }
}
