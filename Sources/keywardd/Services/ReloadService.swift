import Foundation
import KeywardServer
import KeywardSystemd
import Logging
import ServiceLifecycle
import UnixSignals

/// SIGHUP: RELOADING=1 with MONOTONIC_USEC, re-read the configuration, READY=1. A bad
/// configuration keeps the old one and logs why. Access grants and limits change at once;
/// the socket path, state directory and rotation times need a restart.
struct ReloadService: Service {
    let source: ConfigurationSource
    let service: KeywardService
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            notifier.notify(.reloading(monotonicMicroseconds: MonotonicClock.nowMicroseconds()))
            switch source {
            case .file(let path):
                do {
                    let configuration = try DaemonConfiguration.load(path: path)
                    await service.reload(.init(access: configuration.access, limits: configuration.limits))
                    logger.notice("reloaded \(path)")
                } catch {
                    logger.error("reload failed, keeping the previous configuration: \(error)")
                }
            case .development:
                logger.notice("reload: dev mode has no configuration file; nothing to do")
            }
            notifier.notify(.ready, .status(await service.statusLine()))
        }
    }
}
