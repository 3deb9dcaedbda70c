import Foundation
import KeywardCore
import KeywardCrypto
import KeywardTestSupport
import Testing

/// What comes due, on the manual clock, at every boundary of the policy.
@Suite("key lifecycle: due dates and reminders")
struct LifecycleTests {
    static let day: TimeInterval = 86_400
    static let policy = LifecyclePolicy(rotateAfter: 90 * day, warnBefore: 14 * day)

    /// Test mode with one committed set (at the fixture clock's start), and the vault.
    static func committed() async throws -> (VaultFixture, Vault, Date) {
        let fixture = try VaultFixture()
        let vault = try await fixture.openServingTestMode()
        return (fixture, vault, fixture.clock.now())
    }

    static func keySetState(_ vault: Vault, _ policy: LifecyclePolicy = policy, at now: Date) async -> LifecycleItem? {
        LifecycleReport.items(await vault.contents.test, mode: .test, policy: policy, at: now).first { $0.kind == .keySet }
    }

    static let boundaries: [(TimeInterval, LifecycleState)] = [
        (0, .ok), (75 * day, .ok), (76 * day, .dueSoon), (90 * day - 1, .dueSoon), (90 * day, .overdue), (400 * day, .overdue),
    ]

    @Test("a key set is ok, due soon from the warning window, overdue from its due date", arguments: boundaries)
    func keySetBoundaries(offset: TimeInterval, expected: LifecycleState) async throws {
        let (_, vault, committedAt) = try await Self.committed()
        let item = try #require(await Self.keySetState(vault, at: committedAt + offset))
        #expect(item.state == expected, "at +\(offset / Self.day) days: \(item.message)")
        #expect(item.dueAt == committedAt + 90 * Self.day)
        #expect(item.version == 1)
        if expected == .ok {
            #expect(item.next == "nothing yet")
        } else {
            #expect(item.next.contains("keywardctl rotate test"), "\(item.next)")
        }
    }

    @Test("the exact warning boundary is due soon; no rotation period means never due")
    func exactBoundaries() async throws {
        let (_, vault, committedAt) = try await Self.committed()
        #expect(await Self.keySetState(vault, at: committedAt + 76 * Self.day)?.state == .dueSoon)
        #expect(await Self.keySetState(vault, at: committedAt + 76 * Self.day - 1)?.state == .ok)
        let never = LifecyclePolicy(rotateAfter: nil, warnBefore: 14 * Self.day)
        let item = try #require(await Self.keySetState(vault, never, at: committedAt + 3650 * Self.day))
        #expect(item.state == .ok && item.dueAt == nil)
    }

    @Test("a pending rotation is due soon its last day, expired after its lifetime; the key set's next step names it")
    func pendingRotation() async throws {
        let (fixture, vault, committedAt) = try await Self.committed()
        fixture.clock.advance(by: 80 * Self.day)
        _ = try await vault.apply(.beginGenerate(key: try TestKeys.key(40)), to: .test, by: .currentProcess)
        let started = fixture.clock.now()
        let lifetime = RotationPolicy().pendingLifetime
        func pendingItem(at now: Date) async -> LifecycleItem? {
            LifecycleReport.items(await vault.contents.test, mode: .test, policy: Self.policy, at: now).first {
                $0.kind == .pendingRotation
            }
        }
        #expect(await pendingItem(at: started)?.state == .ok)
        #expect(await pendingItem(at: started + lifetime - Self.day - 1)?.state == .ok)
        #expect(await pendingItem(at: started + lifetime - Self.day)?.state == .dueSoon)
        #expect(await pendingItem(at: started + lifetime)?.state == .expired)
        #expect(await pendingItem(at: started + lifetime)?.next == "keywardctl abort test, then begin a new rotation")
        // The key set, due soon, says what to paste: the pending pair's public key.
        let keySet = try #require(await Self.keySetState(vault, at: committedAt + 80 * Self.day))
        #expect(keySet.state == .dueSoon)
        #expect(keySet.next.contains(try TestKeys.key(40).publicKey.bareBase64))
        let report = LifecycleReport.compute(await vault.contents, policies: LifecyclePolicies(test: Self.policy), at: started + lifetime)
        #expect(report[.test]?.state == .expired, "the mode's state is its most urgent item's")
        #expect(report[.live]?.items.isEmpty == true)
    }

    @Test("a mode's pending lifetime overrides the default")
    func pendingLifetimePerMode() async throws {
        let fixture = try VaultFixture()
        var rotation = RotationPolicy()
        rotation.pendingLifetimes[.test] = 2 * Self.day
        let vault = try await fixture.open(policy: rotation)
        _ = try await vault.apply(.setUp(try TestKeys.account()), to: .test, by: .currentProcess)
        _ = try await vault.apply(.beginGenerate(key: try TestKeys.key(41)), to: .test, by: .currentProcess)
        #expect(await vault.contents.test.pending?.expiresAt == fixture.clock.now() + 2 * Self.day)
    }

    @Test("the tracker reports changes once, and reminds of what is not ok once a day")
    func tracker() async throws {
        let (_, vault, committedAt) = try await Self.committed()
        let policies = LifecyclePolicies(test: Self.policy)
        var tracker = LifecycleTracker()
        func observe(_ offset: TimeInterval) async -> LifecycleTracker.Observation {
            let now = committedAt + offset
            return tracker.observe(LifecycleReport.compute(await vault.contents, policies: policies, at: now), at: now)
        }
        let first = await observe(0)
        #expect(first.changed.isEmpty && first.remind.isEmpty, "an ok item seen first is no change")
        let soon = await observe(80 * Self.day)
        #expect(soon.changed.map(\.state) == [.dueSoon] && soon.remind.map(\.state) == [.dueSoon])
        let sameDay = await observe(80 * Self.day + 3600)
        #expect(sameDay.changed.isEmpty && sameDay.remind.isEmpty)
        let nextDay = await observe(81 * Self.day)
        #expect(nextDay.changed.isEmpty && nextDay.remind.map(\.state) == [.dueSoon], "a daily reminder")
        let overdue = await observe(90 * Self.day)
        #expect(overdue.changed.map(\.state) == [.overdue] && overdue.remind.map(\.state) == [.overdue])
    }
}
