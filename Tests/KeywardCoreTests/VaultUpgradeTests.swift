import Foundation
import KeywardCore
import KeywardCrypto
import KeywardTestSupport
import Testing

/// A vault, audit log and master key written by release 0.1.0 (Tests/Fixtures/release-0.1.0)
/// open with today's code, lose nothing, and are written forward in today's format.
@Suite("upgrading a vault of an earlier release")
struct VaultUpgradeTests {
    static let fixture = fixture("release-0.1.0")

    static func fixture(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/\(name)").standardized
    }

    /// A fixture copied into a fresh state directory (git keeps no file modes: 0600 here).
    static func copy(_ fixture: URL = fixture) throws -> (TemporaryDirectory, MasterKey) {
        let directory = try TemporaryDirectory(prefix: "keyward-upgrade")
        for name in ["vault.kwv", "audit.log", "master.key"] {
            let bytes = try Data(contentsOf: fixture.appendingPathComponent(name))
            try directory.write(name, Array(bytes))
            chmod(directory.file(name), 0o600)
        }
        let key = try #require(try MasterKeyLoader.load(credentialsDirectory: nil, keyFile: directory.file("master.key")))
        return (directory, key)
    }

    static func open(_ directory: TemporaryDirectory, _ key: MasterKey) async throws -> Vault {
        try await Vault.open(
            store: try FileVaultStore(directory: directory.path), unlock: .masterKey(key), auditLogPath: directory.file("audit.log"),
            create: false)
    }

    @Test("every key set, identity, pending rotation and audit entry of 0.1.0 is there, and stays after a write in today's format")
    func opensAndMovesForward() async throws {
        let (directory, key) = try Self.copy()
        let before = Self.formatVersion(try directory.read("vault.kwv"))
        #expect(before == 1)
        do {
            let vault = try await Self.open(directory, key)
            try await Self.check(vault, auditEntries: 9)
            // A change writes the vault in today's format.
            _ = try await vault.apply(
                .editAccount(AccountEdit(accountEmail: try AccountEmail("ops@example.com"))), to: .live, by: .currentProcess)
        }
        #expect(Self.formatVersion(try directory.read("vault.kwv")) == 3)
        let reopened = try await Self.reopen(directory, key)
        try await Self.check(reopened, auditEntries: 10)
        // 0.1.0's entries stay as they were (no MAC); the first new one is keyed and chains to them.
        let lines = try await reopened.auditLines()
        #expect(try lines.prefix(9).allSatisfy { try $0.entry().mac == nil })
        #expect(try lines.last?.entry().mac?.count == 64)
        #expect(try await reopened.checkAudit().valid)
        #expect(await reopened.contents.live.account?.accountEmail?.value == "ops@example.com")
    }

    @Test("every key set, identity, pending rotation and keyed audit entry of 0.2.0 is there, and stays after a write in format 3")
    func opensRelease020() async throws {
        let (directory, key) = try Self.copy(Self.fixture("release-0.2.0"))
        #expect(Self.formatVersion(try directory.read("vault.kwv")) == 2)
        do {
            let vault = try await Self.open(directory, key)
            try await Self.check020(vault, auditEntries: 10)
            #expect(try await vault.checkAudit().valid)
            _ = try await vault.apply(
                .editAccount(AccountEdit(accountEmail: try AccountEmail("ops@example.com"))), to: .live, by: .currentProcess)
        }
        #expect(Self.formatVersion(try directory.read("vault.kwv")) == 3)
        let reopened = try await Self.reopen(directory, key)
        try await Self.check020(reopened, auditEntries: 11)
        #expect(try await reopened.checkAudit().valid)
        #expect(await reopened.contents.live.account?.accountEmail?.value == "ops@example.com")
        #expect(await reopened.contents.test.current?.signingMethod == .publicKey)
    }

    static func check020(_ vault: Vault, auditEntries: Int) async throws {
        let contents = await vault.contents
        let test = contents.test
        #expect(test.account?.pid?.value == "2088101122136241" && test.account?.appID?.value == "2021001100600000")
        #expect(test.account?.clientID?.value == "SANDBOX_5Y3A2N2YEB7U01234" && test.account?.accountEmail?.value == "finance@example.com")
        #expect(test.isActive && test.current?.version == 2 && test.current?.origin == .oneClick)
        #expect(test.current?.merchantPublicKey.fingerprint.hex == "f654e66e45057ce7e8a53fbefbea9e04d80d62f35d3fc3e5066d9bde5257d785")
        #expect(test.current?.platformPublicKey.fingerprint.hex == "a7f8c4d9a9581e8071ad15c9a13293a7cee86e27fc55830810b64b9249e58d46")
        #expect(test.previous?.keySet.version == 1 && test.previous?.account?.appID?.value == "2021001100600000")
        let live = contents.live
        #expect(live.account?.clientID?.value == "2188120000000001" && live.account?.gatewayDomain?.value == "open-sea-global.alipay.com")
        #expect(!live.isActive && live.current == nil)
        #expect(live.pending?.origin == .ownKeys && live.pending?.platformPublicKey == nil)
        #expect(
            live.pending?.merchantPrivateKey.publicKey.fingerprint.hex == "22f99b37a5f761449a200b09e4a27c7fa304bfad2f8ed8e5df890033175ca064"
        )
        #expect(try await vault.verifyAudit() == auditEntries)
    }

    /// Opens again once the last handle's lock is released (ARC releases it a moment later).
    static func reopen(_ directory: TemporaryDirectory, _ key: MasterKey) async throws -> Vault {
        for _ in 0..<500 {
            if let vault = try? await Self.open(directory, key) { return vault }
            try await Task.sleep(for: .milliseconds(10))
        }
        return try await Self.open(directory, key)
    }

    /// The header's format version (bytes 8 and 9, big-endian; docs/vault-format.md).
    static func formatVersion(_ bytes: [UInt8]) -> Int { Int(bytes[8]) << 8 | Int(bytes[9]) }

    static func check(_ vault: Vault, auditEntries: Int) async throws {
        let contents = await vault.contents
        let test = contents.test
        #expect(test.account?.pid?.value == "2088101122136241" && test.account?.appID?.value == "2021001100600000")
        #expect(test.account?.accountEmail?.value == "finance@example.com" && test.account?.apiKey != nil)
        #expect(test.isActive && test.current?.version == 2 && test.current?.origin == .oneClick)
        #expect(test.current?.merchantPublicKey.fingerprint.hex == "2fc61c6f2bb3b77fdb683bd29543778a3073dc3e4939afc734299e7267f43b66")
        #expect(test.current?.platformPublicKey.fingerprint.hex == "3f01bb872d3311df4b751101890aae86ee9027c80e0ff07fc6d1ff9de093cb3a")
        #expect(
            test.previous?.keySet.merchantPublicKey.fingerprint.hex == "8ccc1ccc9b84b8935d5bbb972825bbb19e84527df10a5b4ec34b4491f89544f2")
        #expect(test.previous?.account == nil, "0.1.0 kept no identity with the previous set")
        let live = contents.live
        #expect(live.account?.pid?.value == "2088101122136242" && live.account?.appID?.value == "2021001100600001")
        #expect(!live.isActive && live.current == nil)
        #expect(live.pending?.origin == .ownKeys && live.pending?.platformPublicKey == nil)
        #expect(
            live.pending?.merchantPrivateKey.publicKey.fingerprint.hex == "0c9b2444061f93e3949ebaa83a45de7f5de319bbe84e3bec25261ffb1cc9f7c6"
        )
        #expect(try await vault.verifyAudit() == auditEntries)
    }
}
