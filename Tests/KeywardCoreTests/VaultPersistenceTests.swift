import Foundation
import KeywardCore
import KeywardCrypto
import KeywardTestSupport
import Testing

@Suite("the vault on disk")
struct VaultPersistenceTests {
    /// Applies `command`, then closes and reopens the vault and checks that both modes read
    /// back exactly as they were.
    private func applyAndReopen(_ fixture: VaultFixture, _ command: RotationCommand, _ mode: Mode = .test) async throws {
        let before: (String, String, UInt64)
        do {
            // The vault of the previous step may still hold the lock for a moment: wait for it.
            let vault = try await fixture.reopen()
            try await vault.apply(command, to: mode, by: .currentProcess)
            let contents = await vault.contents
            let now = fixture.clock.now()
            before = (contents.test.fingerprintDescription(at: now), contents.live.fingerprintDescription(at: now), await vault.generation)
        }
        let reopened = try await fixture.reopen()
        let contents = await reopened.contents
        let now = fixture.clock.now()
        #expect(contents.test.fingerprintDescription(at: now) == before.0, "after \(command.actionName)")
        #expect(contents.live.fingerprintDescription(at: now) == before.1, "after \(command.actionName)")
        #expect(await reopened.generation == before.2)
    }

    @Test("every state of both modes survives a close and reopen")
    func persistenceAtEachState() async throws {
        let fixture = try VaultFixture()
        _ = try await fixture.open()
        let account = try MerchantAccount(
            pid: PID("2088101122136241"),
            appID: AppID("2021001100600000"),
            accountEmail: AccountEmail("finance@example.com"),
            apiKey: APIKey("abcdefghijklmnopqrstuvwxyz012345")
        )
        try await applyAndReopen(fixture, .setUp(account))
        try await applyAndReopen(fixture, .beginGenerate(key: TestKeys.key(30)))
        try await applyAndReopen(fixture, .providePlatformKey(TestKeys.key(31).publicKey))
        try await applyAndReopen(fixture, .commit)
        try await applyAndReopen(fixture, .activate)
        try await applyAndReopen(fixture, .beginOwnKeys(privateKey: TestKeys.key(32), publicKey: nil))
        try await applyAndReopen(fixture, .abort)
        try await applyAndReopen(fixture, .beginOneClick(privateKey: TestKeys.key(33), platformKey: TestKeys.key(34).publicKey))
        try await applyAndReopen(fixture, .commit)
        try await applyAndReopen(fixture, .rollback)
        try await applyAndReopen(fixture, .setUp(TestKeys.account(.live)), .live)
        try await applyAndReopen(fixture, .beginOneClick(privateKey: TestKeys.key(35), platformKey: TestKeys.key(36).publicKey), .live)
        try await applyAndReopen(fixture, .deactivate)
        try await applyAndReopen(fixture, .approveExport(requestedByUID: 0), .live)

        let reopened = try await fixture.reopen()
        let contents = await reopened.contents
        #expect(contents.live.exportApproval?.requestedByUID == 0 && contents.test.exportApproval == nil)
        #expect(contents.test.account?.apiKey == (try APIKey("abcdefghijklmnopqrstuvwxyz012345")))
        #expect(contents.test.current?.version == 1)
        #expect(contents.test.previous?.keySet.version == 2)
        // The private key read back signs exactly as the original.
        let signature = try contents.test.current!.merchantPrivateKey.signature(for: "probe")
        #expect(try TestKeys.key(30).signature(for: "probe") == signature)
    }

    @Test("a failed command changes nothing on disk")
    func failedCommandChangesNothing() async throws {
        let fixture = try VaultFixture()
        let vault = try await fixture.open()
        let before = try fixture.vaultBytes()
        await #expect(throws: RotationError.code(.nonePending)) {
            try await vault.apply(.commit, to: .test, by: .currentProcess)
        }
        #expect(try fixture.vaultBytes() == before)
        #expect(await vault.generation == 1)
    }

    @Test("the vault file has mode 0600 and no secret appears in it or in the audit log in clear")
    func noClearSecrets() async throws {
        let fixture = try VaultFixture()
        let vault = try await fixture.open()
        try await vault.apply(
            .setUp(
                MerchantAccount(
                    pid: PID("2088101122136241"), appID: AppID("2021001100600000"), apiKey: APIKey("SECRETAPIKEY0123456789abcdefghij"))),
            to: .test, by: .currentProcess)
        try await vault.apply(
            .beginOneClick(privateKey: TestKeys.key(40), platformKey: TestKeys.key(41).publicKey), to: .test, by: .currentProcess)
        let attributes = try FileManager.default.attributesOfItem(atPath: fixture.vaultPath)
        #expect(attributes[.posixPermissions] as? Int == 0o600)
        let file = String(decoding: try fixture.vaultBytes(), as: Unicode.ASCII.self)
        let audit = String(decoding: try fixture.directory.read("audit.log"), as: UTF8.self)
        let privateBare = try TestKeys.key(40).exported(as: PrivateKeyFormat(.pkcs8, .bare)).withUnsafeBytes {
            String(decoding: $0, as: UTF8.self)
        }
        for text in [file, audit] {
            #expect(!text.contains("SECRETAPIKEY"))
            #expect(!text.contains(String(privateBare.dropFirst(100).prefix(40))))
            #expect(!text.contains("2088101122136241") || text == audit)
        }
    }

    @Test("a second process cannot open the same vault: the error names the holder's pid")
    func locking() async throws {
        let fixture = try VaultFixture()
        let vault = try await fixture.open()
        do {
            _ = try FileVaultStore(directory: fixture.directory.path)
            Issue.record("a second store opened the locked vault")
        } catch let error as VaultError {
            #expect(error.code == "vault.locked")
            #expect(error.message.contains("pid \(getpid())"))
        }
        _ = vault
    }

    @Test("opening without a vault and without create says there is none")
    func missing() async throws {
        let fixture = try VaultFixture()
        await #expect(throws: VaultError.code(.missing)) { try await fixture.open(create: false) }
    }

    @Test("a passphrase vault opens with its passphrase only, and rekeys to a master key without losing anything")
    func passphraseAndRekey() async throws {
        let fixture = try VaultFixture()
        let fast = KeyDerivation.ScryptParameters(n: 1 << 10, r: 8, p: 1)
        let passphrase = Array("correct horse battery staple".utf8).withUnsafeBytes { SecretBytes(copying: $0) }
        let wrong = Array("correct horse battery stapler".utf8).withUnsafeBytes { SecretBytes(copying: $0) }
        let installID: InstallID
        do {
            let vault = try await fixture.open(unlock: .passphrase(passphrase, fast))
            try await vault.apply(.setUp(TestKeys.account(.live)), to: .live, by: .currentProcess)
            try await vault.apply(
                .beginOneClick(privateKey: TestKeys.key(42), platformKey: TestKeys.key(43).publicKey), to: .live, by: .currentProcess)
            installID = await vault.installID
        }
        await #expect(throws: VaultError.code(.wrongPassphrase)) {
            try await fixture.open(unlock: .passphrase(wrong, fast), create: false)
        }
        await #expect(throws: VaultError.code(.needsPassphrase)) { try await fixture.open(create: false) }

        let newKey = try MasterKey.generate(installID: installID)
        do {
            let vault = try await fixture.open(unlock: .passphrase(passphrase, fast), create: false)
            try await vault.rekey(to: .masterKey(newKey), by: .currentProcess)
        }
        await #expect(throws: VaultError.code(.needsMasterKey)) {
            try await fixture.open(unlock: .passphrase(passphrase, fast), create: false)
        }
        let rekeyed = try await fixture.open(unlock: .masterKey(newKey), create: false)
        #expect(await rekeyed.contents.live.pending?.merchantPrivateKey.publicKey == (try TestKeys.key(42)).publicKey)
    }

    @Test("rekey to another master key of the same install; the old key stops working")
    func rekeyMasterKey() async throws {
        let fixture = try VaultFixture()
        let newKey = try MasterKey.generate(installID: fixture.masterKey.installID)
        do {
            let vault = try await fixture.open()
            try await vault.apply(.setUp(TestKeys.account()), to: .test, by: .currentProcess)
            await #expect(throws: VaultError.code(.otherInstall)) {
                try await vault.rekey(to: .masterKey(try MasterKey.generate()), by: .currentProcess)
            }
            try await vault.rekey(to: .masterKey(newKey), by: .currentProcess)
        }
        await #expect(throws: VaultError.code(.wrongMasterKey)) { try await fixture.open(create: false) }
        #expect(await (try fixture.open(unlock: .masterKey(newKey), create: false)).contents.test.account != nil)
    }
}
