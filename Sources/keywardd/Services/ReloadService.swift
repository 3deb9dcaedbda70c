import Foundation
import KeywardConfiguration
import KeywardServer
import KeywardSystemd
import Logging
import ServiceLifecycle
import UnixSignals

/// SIGHUP: RELOADING=1 with MONOTONIC_USEC, re-read the configuration, READY=1. A bad
/// configuration keeps the old one and logs why. Access grants and limits change at once;
/// the socket path, state directory and rotation times need a restart.
///
/// `run()` reloads on SIGHUP; `run(triggers:)` on each element of any sequence, so a test
/// drives reloads without signals.
struct ReloadService: Service {
    let source: ConfigurationSource
    let service: KeywardService
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async throws {
        await run(triggers: await UnixSignalsSequence(trapping: .sighup).map { _ in () }.cancelOnGracefulShutdown())
    }

    func run<Triggers: AsyncSequence>(triggers: Triggers) async where Triggers.Element == Void, Triggers.Failure == Never {
        for await _ in triggers { await reload() }
    }

    /// One reload, as SIGHUP does it. Returns whether a new configuration was applied.
    @discardableResult
    func reload() async -> Bool {
        notifier.notify(.reloading(monotonicMicroseconds: MonotonicClock.nowMicroseconds()))
        var applied = false
        switch source {
        case .file(let path):
            do {
                let configuration = try DaemonConfiguration.load(path: path)
                await service.reload(
                    .init(
                        access: configuration.access, limits: configuration.limits, lifecycle: configuration.lifecycle,
                        alerts: configuration.alerts, recoveryPublicKeyFile: configuration.recoveryPublicKeyFile,
                        backupWarnAfter: configuration.backupWarnAfter))
                logger.notice("reloaded \(path)")
                applied = true
            } catch {
                logger.error("reload failed, keeping the previous configuration: \(error)")
            }
        case .development:
            logger.notice("reload: dev mode has no configuration file; nothing to do")
        }
        notifier.notify(.ready, .status(await service.statusLine()))
        return applied
    }
}
