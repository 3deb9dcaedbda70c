import Foundation
import KeywardCore
import KeywardCrypto
import KeywardTestSupport
import Testing

/// Each mode is one merchant identity: open platform, Alipay+, or both; never shared between
/// modes; edited without erasing by omission; changed on a serving mode only with new keys.
@Suite("merchant identity per mode")
struct IdentityTests {
    static let actor = AuditActor(uid: 7, gid: 7, pid: 7)

    static func apply(_ vault: Vault, _ command: RotationCommand, _ mode: Mode = .test) async throws {
        _ = try await vault.apply(command, to: mode, by: actor)
    }

    @Test("an Alipay+ identity alone sets a mode up; setup keeps what it is not given and clears only what it is told")
    func alipayPlusAndEdits() async throws {
        let fixture = try VaultFixture()
        let vault = try await fixture.open()
        try await Self.apply(
            vault,
            .editAccount(
                AccountEdit(
                    clientID: try ClientID("SANDBOX_5YEZ2N2Z6ZBN03117"), gatewayDomain: try GatewayDomain("open-sea-global.alipay.com"),
                    accountEmail: try AccountEmail("finance@example.com"), apiKey: try APIKey("abcdefghijklmnopqrstuvwxyz012345"))))
        var account = try #require(await vault.contents.test.account)
        #expect(account.pid == nil && account.clientID?.isSandbox == true)
        // An edit of the gateway keeps the email and the API key.
        try await Self.apply(vault, .editAccount(AccountEdit(gatewayDomain: try GatewayDomain("open-na-global.alipay.com"))))
        account = try #require(await vault.contents.test.account)
        #expect(account.gatewayDomain?.value == "open-na-global.alipay.com")
        #expect(account.accountEmail?.value == "finance@example.com" && account.apiKey != nil)
        try await Self.apply(vault, .editAccount(AccountEdit(clear: [.apiKey])))
        account = try #require(await vault.contents.test.account)
        #expect(account.apiKey == nil && account.accountEmail != nil && account.clientID != nil)
        let entry = try #require(try await vault.auditLines().last?.entry())
        #expect(entry.record.detail?.contains("API key cleared") == true, "\(entry.record.detail ?? "")")
        // Clearing the only identity leaves none: refused, nothing changes.
        await #expect(throws: CredentialError.code(.noIdentity)) {
            try await Self.apply(vault, .editAccount(AccountEdit(clear: [.alipayPlus])))
        }
        #expect(await vault.contents.test.account?.clientID != nil)
        // A PID without its App ID is half an identity.
        await #expect(throws: CredentialError.code(.openPlatformIncomplete)) {
            try await Self.apply(vault, .editAccount(AccountEdit(pid: try PID("2088101122136241"))))
        }
        #expect(throws: CredentialError.code(.alipayPlusIncomplete)) {
            _ = try MerchantAccount(pid: try PID("2088101122136241"), appID: try AppID("2021001100600000"), platformKeyVersion: .init("1"))
        }
    }

    @Test("a sandbox Client-ID never in live mode; no PID, App ID or Client-ID in both modes")
    func separation() async throws {
        let fixture = try VaultFixture()
        let vault = try await fixture.open()
        await #expect(throws: CredentialError.code(.sandboxClientInLive)) {
            try await Self.apply(vault, .editAccount(AccountEdit(clientID: try ClientID("SANDBOX_ABC"))), .live)
        }
        try await Self.apply(vault, .setUp(try TestKeys.account(.test)))
        try await Self.apply(
            vault,
            .editAccount(
                AccountEdit(pid: try PID("2088202000000001"), appID: try AppID("2021002000000001"), clientID: try ClientID("PROD1"))),
            .live)
        await #expect(throws: CredentialError.code(.identityShared)) {
            try await Self.apply(vault, .editAccount(AccountEdit(appID: try AppID("2021002000000001"))))
        }
        await #expect(throws: CredentialError.code(.identityShared)) {
            try await Self.apply(vault, .editAccount(AccountEdit(clientID: try ClientID("PROD1"))))
        }
        await #expect(throws: CredentialError.code(.identityShared)) {
            try await Self.apply(vault, .editAccount(AccountEdit(pid: try PID("2088202000000001"), appID: try AppID("2021003000000001"))))
        }
        #expect(await vault.contents.test.account == (try TestKeys.account(.test)), "a refused edit changes nothing")
    }

    @Test("a new identity of a serving mode is staged with the pending rotation: live at commit, gone with abort, back with rollback")
    func stagedIdentity() async throws {
        let fixture = try VaultFixture()
        try await stagedIdentitySteps(fixture)
        // Everything survives a reopen (format 2).
        let reopened = try await fixture.reopen()
        #expect(await reopened.contents.test.previous?.account?.appID?.value == "2021001100609999")
    }

    private func stagedIdentitySteps(_ fixture: VaultFixture) async throws {
        let vault = try await fixture.openServingTestMode()
        let original = try #require(await vault.contents.test.account)
        let newAppID = AccountEdit(appID: try AppID("2021001100609999"))
        await #expect(throws: CredentialError.code(.identityChangeNeedsRotation)) { try await Self.apply(vault, .editAccount(newAppID)) }
        // An email change is not an identity change: it applies at once.
        try await Self.apply(vault, .editAccount(AccountEdit(accountEmail: try AccountEmail("ops@example.com"))))
        #expect(await vault.contents.test.account?.accountEmail?.value == "ops@example.com")

        try await Self.apply(vault, .beginOneClick(privateKey: try TestKeys.key(80), platformKey: try TestKeys.key(81).publicKey))
        let revision = await vault.contents.test.revision
        try await Self.apply(vault, .editAccount(newAppID))
        var state = await vault.contents.test
        #expect(state.account?.appID == original.appID, "what services sign with does not change before the commit")
        #expect(state.stagedAccount?.appID?.value == "2021001100609999")
        #expect(state.revision == revision, "staging publishes nothing")
        // A later email edit builds on the staged identity instead of undoing it.
        try await Self.apply(vault, .editAccount(AccountEdit(accountEmail: try AccountEmail("finance@example.com"))))
        #expect(await vault.contents.test.stagedAccount?.appID?.value == "2021001100609999")

        try await Self.apply(vault, .abort)
        #expect(await vault.contents.test.stagedAccount == nil, "abort drops the staged identity")

        try await Self.apply(vault, .beginOneClick(privateKey: try TestKeys.key(80), platformKey: try TestKeys.key(81).publicKey))
        try await Self.apply(vault, .editAccount(newAppID))
        try await Self.apply(vault, .commit)
        state = await vault.contents.test
        #expect(state.account?.appID?.value == "2021001100609999" && state.stagedAccount == nil)
        #expect(state.current?.version == 2 && state.previous?.account?.appID == original.appID)

        try await Self.apply(vault, .rollback)
        state = await vault.contents.test
        #expect(state.current?.version == 1 && state.account?.appID == original.appID, "rollback restores v1's identity with its keys")
    }

    @Test("an open-platform notification's signed string: sign and sign_type dropped, decoded, empty values dropped, sorted")
    func notification() throws {
        let body =
            "trade_status=TRADE_SUCCESS&sign_type=RSA2&subject=%E6%B5%8B%E8%AF%95+order&app_id=2021001100600000&buyer_id=&total_amount=88.88&sign=abc%2Bdef%3D"
        let parsed = try OpenPlatformNotification(formBody: body)
        #expect(parsed.content == "app_id=2021001100600000&subject=测试 order&total_amount=88.88&trade_status=TRADE_SUCCESS")
        #expect(parsed.signature == "abc+def=" && parsed.algorithm == "RSA2")
        #expect(throws: CredentialError.code(.notificationUnsigned)) { try OpenPlatformNotification(formBody: "a=1&b=2") }
        #expect(throws: CredentialError.code(.notificationMalformed)) { try OpenPlatformNotification(formBody: "a=%ZZ&sign=x") }
    }
}
