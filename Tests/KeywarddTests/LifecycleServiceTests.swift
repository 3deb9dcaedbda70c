import Foundation
import Glibc
import KeywardAPI
import KeywardConfiguration
import KeywardCore
import KeywardCrypto
import KeywardServer
import KeywardTestSupport
import Logging
import NIOCore
import Synchronization
import Testing

@testable import keywardd

/// The lifecycle monitor on a real vault and the manual clock: prepared rotations, the alert
/// hook (a real program), retries and timeouts.
@Suite("what comes due: the monitor and its alert hook")
struct LifecycleServiceTests {
    static let day: TimeInterval = 86_400

    static func logger() -> Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }

    /// A program that appends its standard input, one line, to `file` (and exits `status`).
    static func hook(_ fixture: VaultFixture, _ file: String, status: Int = 0) throws -> String {
        let script = try fixture.directory.write(
            "hook-\(status).sh", "#!/bin/sh\n{ cat; echo; } >> '\(file)'\necho \"$KEYWARD_ALERT_STATE\" >> '\(file).env'\nexit \(status)\n")
        chmod(script, 0o700)
        return script
    }

    static func waitForLines(_ path: String, count: Int) async throws -> [String] {
        for _ in 0..<500 {
            if let text = try? String(contentsOfFile: path, encoding: .utf8) {
                let lines = text.split(separator: "\n").map(String.init)
                if lines.count >= count { return lines }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return []
    }

    @Test("a due-soon key set with prepare_rotation gets a generated rotation, audited as the daemon's, and the hook gets the item")
    func preparesAndAlerts() async throws {
        let fixture = try VaultFixture()
        let vault = try await fixture.openServingTestMode()
        let output = fixture.directory.file("alerts.jsonl")
        let policy = LifecyclePolicy(rotateAfter: 10 * Self.day, warnBefore: 5 * Self.day, prepareRotation: true)
        let service = await KeywardService(
            vault: vault,
            settings: .init(
                access: AccessPolicy(test: .init(exportPrivateKey: false), live: .init(exportPrivateKey: false), daemonUID: getuid()),
                limits: ServerLimits(), lifecycle: LifecyclePolicies(test: policy),
                alerts: AlertSettings(command: [try Self.hook(fixture, output)], timeout: .seconds(10))),
            stateDirectory: StateDirectory(fixture.directory.path), logger: Self.logger())
        let changes = Atomic<Int>(0)
        let monitor = LifecycleService(
            service: service, alerts: AlertRunner(logger: Self.logger()), interval: .seconds(3600), logger: Self.logger(),
            triggers: AsyncStream { $0.finish() }, onChange: { changes.add(1, ordering: .relaxed) })
        var tracker = LifecycleTracker()

        await monitor.check(&tracker)
        #expect(await service.contents().test.pending == nil, "not due yet: nothing prepared")
        #expect(changes.load(ordering: .relaxed) == 0)

        fixture.clock.advance(by: 6 * Self.day)
        await monitor.check(&tracker)
        let pending = try #require(await service.contents().test.pending, "a due-soon key set must get a prepared rotation")
        #expect(pending.origin == .generated && pending.state(at: fixture.clock.now()) == .awaitingPlatformKey)
        let last = try #require(try await service.auditEntries(last: 1).last)
        #expect(last.action == "begin-generate" && last.actor.uid == getuid() && last.actor.pid == getpid())
        #expect(changes.load(ordering: .relaxed) == 1)

        let lines = try await Self.waitForLines(output, count: 1)
        let item = try APIJSON.decoder().decode(LifecycleItem.self, from: Data(try #require(lines.first).utf8))
        #expect(item.mode == .test && item.kind == .keySet && item.state == .dueSoon)
        #expect(item.next.contains(pending.merchantPrivateKey.publicKey.bareBase64), "the reminder carries the key to paste: \(item.next)")
        #expect(try await Self.waitForLines(output + ".env", count: 1) == ["due-soon"])

        // The same state again: no second alert, no second rotation.
        await monitor.check(&tracker)
        try await Task.sleep(for: .milliseconds(200))
        #expect(try await Self.waitForLines(output, count: 1).count == 1)
        #expect(try await service.auditEntries(last: 1).last?.action == "begin-generate")
        #expect(service.lifecycleWarnings.map(\.state) == [.dueSoon])
        #expect(await service.statusLine().contains("test v1 is due for rotation on"))
    }

    @Test("a failing hook is retried until it succeeds; one that hangs is killed at its timeout")
    func retriesAndTimeouts() async throws {
        let fixture = try VaultFixture()
        let output = fixture.directory.file("alerts.jsonl")
        let item = LifecycleItem(
            mode: .live, kind: .keySet, state: .overdue, version: 3, since: Date(), dueAt: Date(), message: "live v3 is overdue",
            next: "rotate")
        let runner = AlertRunner(logger: Self.logger(), retryDelays: [.milliseconds(10), .milliseconds(10)])
        // Fails while the marker is missing: the first run creates it and fails, the second succeeds.
        let marker = fixture.directory.file("marker")
        let flaky = try fixture.directory.write(
            "flaky.sh", "#!/bin/sh\n{ cat; echo; } >> '\(output)'\nif [ -e '\(marker)' ]; then exit 0; fi\ntouch '\(marker)'\nexit 3\n")
        chmod(flaky, 0o700)
        #expect(await runner.deliver(item, settings: AlertSettings(command: [flaky], timeout: .seconds(10))))
        #expect(try await Self.waitForLines(output, count: 2).count == 2, "ran twice")

        let hanging = try fixture.directory.write("hang.sh", "#!/bin/sh\nexec sleep 30\n")
        chmod(hanging, 0o700)
        // Killed at its timeout, not waited out (a 30 s sleep that ran to its end would exit 0).
        let outcome = await AlertRunner.run([hanging], input: Data(), item: item, timeout: .milliseconds(200))
        #expect(outcome?.contains("ended by signal") == true, "\(outcome ?? "ran to its end")")
        #expect(await runner.deliver(item, settings: AlertSettings(command: [hanging], timeout: .milliseconds(200))) == false)
        #expect(await runner.deliver(item, settings: AlertSettings(command: ["/nonexistent/hook"], timeout: .seconds(1))) == false)
    }

    @Test("when the grace window ends the previous set leaves the key-set document, watchers are woken, and the daemon audits it")
    func closesGraceWindows() async throws {
        let fixture = try VaultFixture()
        let vault = try await fixture.openServingTestMode()
        let service = await KeywardService(
            vault: vault,
            settings: .init(
                access: AccessPolicy(test: .init(exportPrivateKey: false), live: .init(exportPrivateKey: false), daemonUID: getuid()),
                limits: ServerLimits()),
            stateDirectory: StateDirectory(fixture.directory.path), logger: Self.logger())
        let operatorPeer = Peer(uid: getuid(), gid: getgid(), pid: getpid(), groups: [])
        try await service.apply(
            .beginOneClick(privateKey: try TestKeys.key(61), platformKey: try TestKeys.key(62).publicKey), to: .test, by: operatorPeer)
        try await service.apply(.commit, to: .test, by: operatorPeer)
        let withPrevious = service.board.current(.test)
        #expect(String(buffer: withPrevious.publicDocument).contains("\"previous\""))

        let monitor = LifecycleService(
            service: service, alerts: AlertRunner(logger: Self.logger()), interval: .seconds(3600), logger: Self.logger(),
            triggers: AsyncStream { $0.finish() }, onChange: {})
        var tracker = LifecycleTracker()
        await monitor.check(&tracker)
        #expect(service.board.current(.test).revision == withPrevious.revision, "inside the grace window nothing changes")
        #expect(await monitor.nextGraceEnd() == withPrevious.previous?.graceEndsAt)

        let woken = Mutex<PublishedKeySet?>(nil)
        _ = service.board.watch(.test, after: withPrevious.revision) { snapshot in woken.withLock { $0 = snapshot } }
        fixture.clock.advance(by: 24 * 3600 + 1)
        await monitor.check(&tracker)
        let after = service.board.current(.test)
        #expect(after.revision == withPrevious.revision + 1)
        #expect(!String(buffer: after.publicDocument).contains("\"previous\""), "the document still carries the previous set")
        #expect(woken.withLock { $0?.revision } == after.revision, "the watcher was not woken")
        let last = try #require(try await service.auditEntries(last: 1).last)
        #expect(last.action == "close-grace-window" && last.actor.uid == getuid() && last.record.fromVersion == 1)
        #expect(await monitor.nextGraceEnd() == nil)
        await monitor.check(&tracker)
        #expect(service.board.current(.test).revision == after.revision, "closed once")
    }
}
