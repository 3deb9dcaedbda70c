import Foundation
import Glibc
import KeywardConfiguration
import KeywardCore
import KeywardCrypto
import KeywardServer
import Logging
import ServiceLifecycle

/// Keeps an eye on what comes due (docs/operations.md, "Staying ahead of rotation"): on every
/// change, every reload and once a minute it recomputes each mode's lifecycle, writes items
/// that are not ok to the journal (once a day each, `MESSAGE_ID` below), runs the alert hook
/// for each item whose state changed, updates systemd's STATUS, begins a prepared rotation
/// where the policy asks for one, and closes each grace window when it ends (woken at that
/// moment), so the previous set leaves the key-set document and watchers hear of it.
struct LifecycleService: Service {
    /// `journalctl MESSAGE_ID=…` finds every lifecycle warning.
    static let messageID = "6b9f0d3c2e8a4f1b9c7d5e3a1f0b8c2d"

    let service: KeywardService
    let alerts: AlertRunner
    let interval: Duration
    let logger: Logger
    /// Yields on every change and reload (and the service adds its own timer ticks).
    let triggers: AsyncStream<Void>
    /// After a check that changed something: systemd STATUS.
    let onChange: @Sendable () -> Void

    func run() async throws {
        await run(triggers: triggers.cancelOnGracefulShutdown(), timer: AsyncTimerSequence(interval: interval).cancelOnGracefulShutdown())
    }

    /// Checks at once, then on each trigger or timer tick, until either sequence ends.
    func run<Triggers: AsyncSequence & Sendable, Timer: AsyncSequence & Sendable>(triggers: Triggers, timer: Timer) async
    where Triggers.Element == Void, Timer.Element == Void, Triggers.Failure == Never, Timer.Failure == Never {
        let (ticks, tick) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let feeders = [
            Task {
                for await _ in triggers { tick.yield() }
                tick.finish()
            },
            Task {
                for await _ in timer { tick.yield() }
                tick.finish()
            },
        ]
        var tracker = LifecycleTracker()
        var graceTimer: Task<Void, Never>?
        func checkAndSchedule() async {
            await check(&tracker)
            graceTimer?.cancel()
            guard let end = await nextGraceEnd() else { return }
            let wait = max(0, end.timeIntervalSince(await service.now())) + 0.05
            graceTimer = Task {
                try? await Task.sleep(for: .milliseconds(Int64(wait * 1000)))
                if !Task.isCancelled { tick.yield() }
            }
        }
        await checkAndSchedule()
        for await _ in ticks { await checkAndSchedule() }
        graceTimer?.cancel()
        for feeder in feeders { feeder.cancel() }
    }

    /// One check.
    func check(_ tracker: inout LifecycleTracker) async {
        await closeGraceWindows()
        await prepareRotations()
        let report = await service.refreshLifecycle()
        let observation = tracker.observe(report, at: await service.now())
        for item in observation.remind {
            logger.warning(
                "\(item.message); next: \(item.next)",
                metadata: [
                    "message_id": "\(Self.messageID)",
                    "keyward.mode": "\(item.mode)",
                    "keyward.lifecycle_kind": "\(item.kind.rawValue)",
                    "keyward.lifecycle_state": "\(item.state)",
                    "keyward.due_at": "\(item.dueAt?.ISO8601Format() ?? "never")",
                ])
        }
        let now = await service.now()
        let warning = service.backupWarning(at: now)
        if tracker.remindBackup(warning != nil, at: now), let warning {
            logger.warning("\(warning)", metadata: ["message_id": "\(Self.messageID)", "keyward.lifecycle_kind": "backup"])
        }
        let command = service.alerts
        for item in observation.changed where !command.command.isEmpty {
            alerts.send(item, settings: command)
        }
        if !observation.changed.isEmpty { onChange() }
    }

    /// The earliest end of a grace window still open.
    func nextGraceEnd() async -> Date? {
        let contents = await service.contents()
        let now = await service.now()
        return Mode.allCases.compactMap { contents[$0].previous?.graceEndsAt }.filter { $0 > now }.min()
    }

    /// Closes every grace window that has ended (audited as the daemon's).
    func closeGraceWindows() async {
        let contents = await service.contents()
        let now = await service.now()
        for mode in Mode.allCases {
            guard let previous = contents[mode].previous, !previous.isWithinGrace(at: now) else { continue }
            do {
                try await service.apply(.closeGraceWindow, to: mode, by: Self.daemonPeer)
                logger.notice(
                    "the grace window of \(mode) v\(previous.keySet.version) ended: its keys are no longer served as previous",
                    metadata: ["keyward.mode": "\(mode)"])
            } catch let error as StoreError where error.kind == .conflict {
                logger.notice("another node changed \(mode) mode first; its vault is adopted", metadata: ["keyward.mode": "\(mode)"])
            } catch {
                let text = (error as? any ReportableError)?.description ?? "\(error)"
                logger.error("could not close the grace window of \(mode) mode: \(text)", metadata: ["keyward.mode": "\(mode)"])
            }
        }
    }

    /// The daemon itself, as the audit log names it.
    static var daemonPeer: Peer { Peer(uid: getuid(), gid: getgid(), pid: getpid(), groups: []) }

    /// Begins a rotation with a generated pair for each mode whose policy prepares them and
    /// whose key set is due soon or overdue, unless one is pending. Audited as the daemon's.
    func prepareRotations() async {
        let policies = service.lifecyclePolicies
        let contents = await service.contents()
        let now = await service.now()
        for mode in Mode.allCases where policies[mode].prepareRotation {
            let state = contents[mode]
            guard let current = state.current, state.pending == nil, state.account != nil else { continue }
            let item = LifecycleReport.keySetItem(current, pending: nil, mode: mode, policy: policies[mode], at: now)
            guard item.state >= .dueSoon else { continue }
            do {
                let size = RSAKeySize(rawValue: current.merchantPublicKey.bits) ?? .bits2048
                let key = try await service.keyWork.run { try RSAPrivateKey.generate(size: size) }
                try await service.apply(.beginGenerate(key: key), to: mode, by: Self.daemonPeer)
                logger.notice(
                    "prepared a rotation of \(mode) mode (\(item.message)): paste its public key into the dashboard, then keywardctl platform-key \(mode)",
                    metadata: ["keyward.mode": "\(mode)", "keyward.merchant_public_key": "\(key.publicKey.bareBase64)"])
            } catch {
                let text = (error as? any ReportableError)?.description ?? "\(error)"
                logger.error("could not prepare a rotation of \(mode) mode: \(text)", metadata: ["keyward.mode": "\(mode)"])
            }
        }
    }
}
