import Foundation
import KeywardConfiguration
import KeywardCore
import KeywardCrypto
import KeywardFleet
import KeywardTestSupport
import Logging
import Testing

/// A backup made on a fleet node holds the store's current generation, even when another
/// node committed it and this node has not adopted it yet, and it verifies and restores.
@Suite("backups of a fleet node", .serialized)
struct FleetBackupTests {
    @Test("a node behind the store backs up the store's generation; the backup opens with the recovery key and restores")
    func backupOfAStaleNode() async throws {
        let server = try PostgresServer()
        let url = try PostgresURL(parsing: server.url)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        func store() -> PostgresVaultStore {
            PostgresVaultStore(connector: PostgresConnector(url: url, password: server.password, logger: logger), logger: logger)
        }
        _ = try await StoreSchema.migrate(using: PostgresConnector(url: url, password: server.password, logger: logger), logger: logger)
        let directory = try TemporaryDirectory(prefix: "keyward-fleet-backup")
        let masterKey = try MasterKey.generate()
        let (storeA, storeB) = (store(), store())
        let first = try await Vault.open(store: storeA, unlock: .masterKey(masterKey), auditLogPath: directory.file("a.log"), create: true)
        let second = try await Vault.open(
            store: storeB, unlock: .masterKey(masterKey), auditLogPath: directory.file("b.log"), create: false)
        try await first.apply(.setUp(TestKeys.account()), to: .test, by: .currentProcess)
        try await first.apply(
            .beginOneClick(privateKey: TestKeys.key(160), platformKey: TestKeys.key(161).publicKey), to: .test, by: .currentProcess)
        try await first.apply(.commit, to: .test, by: .currentProcess)
        let storeGeneration = await first.generation
        #expect(await second.generation < storeGeneration, "the second node has not adopted the commit yet")

        let recovery = try RSAPrivateKey.generate(size: .bits4096)
        let (archive, manifest) = try await second.backup(recoveryKey: recovery.publicKey, by: .currentProcess)
        #expect(manifest.generation == storeGeneration && manifest.sharedStore == true)
        #expect(manifest.modes[.test]?.version == 1)
        let opened = try BackupRestore.open(archive, with: .recovery(recovery))
        let target = try TemporaryDirectory(prefix: "keyward-fleet-restore")
        let newKey = try opened.newMasterKey()
        try BackupRestore.restore(opened, openedWith: .recovery(recovery), into: target.file("state"), masterKey: newKey, force: false)
        let restored = try await Vault.open(
            store: try FileVaultStore(directory: target.file("state")), unlock: .masterKey(newKey),
            auditLogPath: target.file("state/audit.log"), create: false)
        #expect(await restored.contents.test.current?.merchantPublicKey.fingerprint == (try TestKeys.key(160)).publicKey.fingerprint)
        for store in [storeA, storeB] { await store.close() }
    }
}
