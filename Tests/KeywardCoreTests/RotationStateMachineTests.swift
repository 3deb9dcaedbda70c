import Foundation
import KeywardCore
import KeywardCrypto
import KeywardTestSupport
import Testing

/// The state machine as a pure function: no disk, time passed in.
@Suite("rotation state machine")
struct RotationStateMachineTests {
    let start = Date(timeIntervalSince1970: 1_790_000_000)
    let policy = RotationPolicy()

    /// Both modes set up (PID, App ID): what a rotation needs first.
    private func withAccounts() throws -> VaultContents {
        var contents = VaultContents()
        for mode in Mode.allCases { contents = try apply(contents, .setUp(TestKeys.account(mode)), mode) }
        return contents
    }

    private func apply(_ contents: VaultContents, _ command: RotationCommand, _ mode: Mode = .test, after seconds: TimeInterval = 0) throws
        -> VaultContents
    {
        try contents.applying(command, to: mode, at: start + seconds, policy: policy).contents
    }

    private func expectError(
        _ code: String, _ contents: VaultContents, _ command: RotationCommand, _ mode: Mode = .test, after seconds: TimeInterval = 0
    ) {
        do {
            _ = try contents.applying(command, to: mode, at: start + seconds, policy: policy)
            Issue.record("expected \(code), but the command was accepted")
        } catch let error as any ReportableError {
            #expect(error.code == code)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    /// A mode with one committed set made from keys `merchant` and `platform`.
    private func committed(merchant: Int, platform: Int, mode: Mode = .test, into contents: VaultContents = VaultContents()) throws
        -> VaultContents
    {
        var contents = try apply(contents, .setUp(TestKeys.account(mode)), mode)
        contents = try apply(contents, .beginGenerate(key: TestKeys.key(merchant)), mode)
        contents = try apply(contents, .providePlatformKey(TestKeys.key(platform).publicKey), mode)
        return try apply(contents, .commit, mode)
    }

    @Test("generate: begin waits for the platform key, the platform key makes it ready, commit makes v1 current")
    func oneClick() throws {
        let accounts = try withAccounts()
        var contents = try apply(accounts, .beginGenerate(key: TestKeys.key(0)))
        guard case .awaitingPlatformKey(let awaiting) = contents.test.pending else {
            Issue.record("not awaiting")
            return
        }
        #expect(awaiting.origin == .generated)
        #expect(awaiting.expiresAt == start + 7 * 24 * 3600)

        let withPlatform = try contents.applying(.providePlatformKey(TestKeys.key(1).publicKey), to: .test, at: start, policy: policy)
        #expect(!withPlatform.publishes)
        contents = withPlatform.contents
        guard case .ready = contents.test.pending else {
            Issue.record("not ready")
            return
        }

        let commit = try contents.applying(.commit, to: .test, at: start + 60, policy: policy)
        #expect(commit.publishes)
        #expect(commit.record.toVersion == 1 && commit.record.fromVersion == nil)
        let current = try #require(commit.contents.test.current)
        #expect(current.version == 1)
        #expect(current.origin == .generated)
        #expect(current.merchantPublicKey == (try TestKeys.key(0)).publicKey)
        #expect(current.platformPublicKey == (try TestKeys.key(1)).publicKey)
        #expect(commit.contents.test.pending == nil)
        #expect(commit.contents.test.previous == nil)
        #expect(commit.contents.test.history.map(\.version) == [1])
        #expect(commit.contents.live.current == nil)
    }

    @Test("own keys: the operator's private key, with a public key that must match")
    func ownKeys() throws {
        let accounts = try withAccounts()
        let contents = try apply(accounts, .beginOwnKeys(privateKey: TestKeys.key(2), publicKey: TestKeys.key(2).publicKey))
        #expect(contents.test.pending?.origin == .ownKeys)
        expectError(
            "credentials.merchant-key-mismatch", accounts,
            .beginOwnKeys(privateKey: try TestKeys.key(2), publicKey: try TestKeys.key(3).publicKey))
        #expect(try apply(accounts, .beginOwnKeys(privateKey: TestKeys.key(2), publicKey: nil)).test.pending != nil)
    }

    @Test("one-click: the dashboard's private key and platform key go straight to ready")
    func importFlow() throws {
        let accounts = try withAccounts()
        let contents = try apply(accounts, .beginOneClick(privateKey: TestKeys.key(4), platformKey: TestKeys.key(5).publicKey))
        guard case .ready(let ready) = contents.test.pending else {
            Issue.record("not ready")
            return
        }
        #expect(ready.origin == .oneClick)
        #expect(try apply(contents, .commit).test.current?.origin == .oneClick)
    }

    @Test("a second commit keeps the first as previous for the grace window, and versions count up")
    func secondCommit() throws {
        var contents = try committed(merchant: 0, platform: 1)
        contents = try apply(contents, .beginGenerate(key: TestKeys.key(2)), after: 100)
        contents = try apply(contents, .providePlatformKey(TestKeys.key(3).publicKey), after: 100)
        let commit = try contents.applying(.commit, to: .test, at: start + 200, policy: policy)
        #expect(commit.record.fromVersion == 1 && commit.record.toVersion == 2)
        let state = commit.contents.test
        #expect(state.current?.version == 2)
        #expect(state.previous?.keySet.version == 1)
        #expect(state.previous?.graceEndsAt == start + 200 + 24 * 3600)
        #expect(state.previous(at: start + 200 + 24 * 3600 - 1) != nil)
        #expect(state.previous(at: start + 200 + 24 * 3600) == nil)
    }

    @Test("rollback within the grace window swaps current and previous; a later commit gets a new version")
    func rollback() throws {
        var contents = try committed(merchant: 0, platform: 1)
        contents = try apply(contents, .beginGenerate(key: TestKeys.key(2)))
        contents = try apply(contents, .providePlatformKey(TestKeys.key(3).publicKey))
        contents = try apply(contents, .commit)
        let rolledBack = try contents.applying(.rollback, to: .test, at: start + 3600, policy: policy)
        #expect(rolledBack.publishes)
        #expect(rolledBack.contents.test.current?.version == 1)
        #expect(rolledBack.contents.test.previous?.keySet.version == 2)
        contents = rolledBack.contents
        contents = try apply(contents, .beginGenerate(key: TestKeys.key(4)), after: 3600)
        contents = try apply(contents, .providePlatformKey(TestKeys.key(5).publicKey), after: 3600)
        contents = try apply(contents, .commit, after: 3600)
        #expect(contents.test.current?.version == 3)
    }

    @Test("rollback --to: only to the version meant; a second rollback to the same version is refused, not a step forward")
    func rollbackTo() throws {
        var contents = try committed(merchant: 0, platform: 1)
        contents = try apply(contents, .beginGenerate(key: TestKeys.key(2)))
        contents = try apply(contents, .providePlatformKey(TestKeys.key(3).publicKey))
        contents = try apply(contents, .commit)
        #expect(throws: RotationError.code(.rollbackTargetMismatch)) { try apply(contents, .rollbackTo(version: 2)) }
        contents = try apply(contents, .rollbackTo(version: 1))
        #expect(contents.test.current?.version == 1)
        #expect(throws: RotationError.code(.rollbackTargetMismatch)) { try apply(contents, .rollbackTo(version: 1)) }
        #expect(contents.test.current?.version == 1, "refused: nothing changed")
    }

    @Test("rollback after the grace window, without a previous set, or with a pending rotation is refused")
    func rollbackRefused() throws {
        expectError("rotation.nothing-to-roll-back", VaultContents(), .rollback)
        var contents = try committed(merchant: 0, platform: 1)
        expectError("rotation.nothing-to-roll-back", contents, .rollback)
        contents = try apply(contents, .beginGenerate(key: TestKeys.key(2)))
        contents = try apply(contents, .providePlatformKey(TestKeys.key(3).publicKey))
        contents = try apply(contents, .commit)
        expectError("rotation.grace-window-over", contents, .rollback, after: 24 * 3600 + 1)
        let pending = try apply(contents, .beginGenerate(key: TestKeys.key(4)))
        expectError("rotation.pending-exists", pending, .rollback)
    }

    @Test("a rotation of a mode that is not set up is refused with the next step, whichever way it begins")
    func rotationNeedsAccount() throws {
        let key = try TestKeys.key(0)
        for command: RotationCommand in [
            .beginGenerate(key: key), .beginOwnKeys(privateKey: key, publicKey: nil),
            .beginOneClick(privateKey: key, platformKey: try TestKeys.key(1).publicKey),
        ] {
            expectError("rotation.no-account", VaultContents(), command)
            expectError("rotation.no-account", try apply(VaultContents(), .setUp(TestKeys.account(.live)), .live), command)
        }
        do {
            _ = try VaultContents().applying(.beginGenerate(key: key), to: .live, at: start, policy: policy)
        } catch let error as any ReportableError {
            #expect(error.hint.contains("keywardctl setup live"))
        }
    }

    @Test("illegal transitions are typed errors")
    func illegalTransitions() throws {
        let empty = try withAccounts()
        expectError("rotation.none-pending", empty, .commit)
        expectError("rotation.none-pending", empty, .abort)
        expectError("rotation.none-pending", empty, .providePlatformKey(try TestKeys.key(1).publicKey))
        let awaiting = try apply(empty, .beginGenerate(key: TestKeys.key(0)))
        expectError("rotation.awaiting-platform-key", awaiting, .commit)
        expectError("rotation.pending-exists", awaiting, .beginGenerate(key: try TestKeys.key(2)))
        expectError(
            "rotation.pending-exists", awaiting, .beginOneClick(privateKey: try TestKeys.key(2), platformKey: try TestKeys.key(3).publicKey)
        )
        let ready = try apply(awaiting, .providePlatformKey(TestKeys.key(1).publicKey))
        expectError("rotation.platform-key-already-set", ready, .providePlatformKey(try TestKeys.key(3).publicKey))
        #expect(try apply(ready, .abort).test.pending == nil)
    }

    @Test("a pending rotation expires after 7 days: it cannot be finished, can be aborted, and a new begin replaces it")
    func expiry() throws {
        let accounts = try withAccounts()
        let awaiting = try apply(accounts, .beginGenerate(key: TestKeys.key(0)))
        let week: TimeInterval = 7 * 24 * 3600
        #expect(awaiting.test.pending?.state(at: start + week - 1) == .awaitingPlatformKey)
        #expect(awaiting.test.pending?.state(at: start + week) == .expired)
        expectError("rotation.expired", awaiting, .providePlatformKey(try TestKeys.key(1).publicKey), after: week)
        let ready = try apply(awaiting, .providePlatformKey(TestKeys.key(1).publicKey))
        expectError("rotation.expired", ready, .commit, after: week + 1)
        #expect(try apply(ready, .abort, after: week + 1).test.pending == nil)
        let replaced = try apply(ready, .beginGenerate(key: TestKeys.key(2)), after: week)
        #expect(replaced.test.pending?.merchantPrivateKey.publicKey == (try TestKeys.key(2)).publicKey)
    }

    @Test("the platform key may not be the merchant key itself")
    func platformKeyIsMerchantKey() throws {
        let accounts = try withAccounts()
        let awaiting = try apply(accounts, .beginGenerate(key: TestKeys.key(0)))
        expectError("credentials.platform-key-is-merchant-key", awaiting, .providePlatformKey(try TestKeys.key(0).publicKey))
        expectError(
            "credentials.platform-key-is-merchant-key", accounts,
            .beginOneClick(privateKey: try TestKeys.key(0), platformKey: try TestKeys.key(0).publicKey))
    }

    @Test("no key may be used by both modes: merchant or platform, current or pending")
    func modesDoNotShareKeys() throws {
        let contents = try committed(merchant: 0, platform: 1, mode: .test, into: withAccounts())
        expectError("credentials.key-used-by-other-mode", contents, .beginGenerate(key: try TestKeys.key(0)), .live)
        expectError("credentials.key-used-by-other-mode", contents, .beginOwnKeys(privateKey: try TestKeys.key(1), publicKey: nil), .live)
        let liveAwaiting = try apply(contents, .beginGenerate(key: TestKeys.key(6)), .live)
        expectError("credentials.key-used-by-other-mode", liveAwaiting, .providePlatformKey(try TestKeys.key(1).publicKey), .live)
        expectError("credentials.key-used-by-other-mode", liveAwaiting, .beginGenerate(key: try TestKeys.key(6)), .test)
        #expect(try apply(liveAwaiting, .providePlatformKey(TestKeys.key(7).publicKey), .live).live.pending != nil)
    }

    @Test("a rotation to the key the mode already uses is refused")
    func sameKey() throws {
        let contents = try committed(merchant: 0, platform: 1)
        expectError("rotation.same-key", contents, .beginGenerate(key: try TestKeys.key(0)))
    }

    @Test("activation needs a committed set and an account; deactivation stops serving; both publish")
    func activation() throws {
        expectError("rotation.no-key-set", VaultContents(), .activate)
        var contents = try withAccounts()
        expectError("rotation.no-key-set", contents, .activate)
        contents = try apply(contents, .beginOneClick(privateKey: TestKeys.key(0), platformKey: TestKeys.key(1).publicKey))
        contents = try apply(contents, .commit)
        let activated = try contents.applying(.activate, to: .test, at: start, policy: policy)
        #expect(activated.publishes && activated.contents.test.isActive)
        expectError("rotation.already-active", activated.contents, .activate)
        let deactivated = try activated.contents.applying(.deactivate, to: .test, at: start, policy: policy)
        #expect(deactivated.publishes && !deactivated.contents.test.isActive)
        #expect(deactivated.contents.test.revision > activated.contents.test.revision)
    }

    @Test("history keeps at most the configured number of summaries, newest last")
    func boundedHistory() throws {
        let accounts = try withAccounts()
        let small = RotationPolicy(historyLimit: 2)
        var contents = accounts
        for version in 0..<3 {
            contents = try contents.applying(
                .beginOneClick(privateKey: TestKeys.key(10 + version), platformKey: TestKeys.key(20 + version).publicKey), to: .test,
                at: start, policy: small
            ).contents
            contents = try contents.applying(.commit, to: .test, at: start, policy: small).contents
        }
        #expect(contents.test.history.map(\.version) == [2, 3])
    }
}
