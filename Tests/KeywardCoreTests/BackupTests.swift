import Foundation
import KeywardCrypto
import KeywardTestSupport
import Testing

@testable import KeywardCore

/// Backups: made by the vault at one generation, opened with the recovery key or the master
/// key, restored under a new master key; every kind of bad input refused with its own code,
/// changing nothing.
@Suite("backups and restore")
struct BackupTests {
    static let recovery = Result { try RSAPrivateKey.generate(size: .bits4096) }

    /// A serving vault (test mode v1), its backup, and the fixture.
    static func backedUp() async throws -> (VaultFixture, [UInt8], BackupManifest) {
        let fixture = try VaultFixture()
        let vault = try await fixture.openServingTestMode()
        _ = try await vault.apply(.setUp(try TestKeys.account(.live)), to: .live, by: .currentProcess)
        let (archive, manifest) = try await vault.backup(recoveryKey: try recovery.get().publicKey, by: .currentProcess)
        return (fixture, archive, manifest)
    }

    static func code(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as any ReportableError {
            return error.code
        } catch {
            return "\(error)"
        }
    }

    @Test(
        "a backup opens with the recovery key and with the master key, and restores on a new directory: same sets, same identities, audit intact"
    )
    func backupAndRestore() async throws {
        let (fixture, archive, manifest) = try await Self.backedUp()
        #expect(manifest.modes[.test]?.version == 1 && manifest.modes[.test]?.active == true)
        #expect(manifest.recoveryKeyFingerprint == (try Self.recovery.get().publicKey.fingerprint.hex))
        let byMaster = try BackupRestore.open(archive, with: .masterKey(fixture.masterKey))
        let byRecovery = try BackupRestore.open(archive, with: .recovery(try Self.recovery.get()))
        #expect(byMaster.manifest == byRecovery.manifest)

        let target = try TemporaryDirectory(prefix: "keyward-restore")
        let newKey = try byRecovery.newMasterKey()
        try BackupRestore.restore(
            byRecovery, openedWith: .recovery(try Self.recovery.get()), into: target.file("state"), masterKey: newKey, force: false)
        #expect(newKey.installID == fixture.masterKey.installID)
        let restored = try await Vault.open(
            store: try FileVaultStore(directory: target.file("state")), unlock: .masterKey(newKey),
            auditLogPath: target.file("state/audit.log"), create: false)
        let original = await (try fixture.reopen()).contents
        let contents = await restored.contents
        #expect(BackupManifest.modes(contents) == BackupManifest.modes(original))
        #expect(contents.test.current?.merchantPrivateKey.matches(original.test.current!.merchantPublicKey) == true)
        #expect(try await restored.checkAudit().valid)
        #expect(try await restored.auditLines().last?.entry().action == "restore")
        // The old master key does not open the restored vault.
        #expect(throws: VaultError.self) {
            _ = try VaultCodec.open(try target.read("state/vault.kwv"), unlock: .masterKey(fixture.masterKey))
        }
    }

    @Test("truncated, altered, newer, wrongly keyed and self-contradicting backups are refused, each with its code")
    func badBackups() async throws {
        let (fixture, archive, _) = try await Self.backedUp()
        let recovery = BackupKey.recovery(try Self.recovery.get())
        // Truncated at many lengths.
        for length in stride(from: 0, to: archive.count, by: max(1, archive.count / 40)) {
            #expect(
                Self.code { _ = try BackupRestore.open(Array(archive.prefix(length)), with: recovery) } == "backup.damaged",
                "length \(length)")
        }
        #expect(Self.code { _ = try BackupRestore.open(archive + [0], with: recovery) } == "backup.damaged")
        // A flipped byte anywhere after the framing: the tag, or a part that no longer reads.
        for offset in stride(from: 14, to: archive.count, by: max(1, archive.count / 60)) {
            var altered = archive
            altered[offset] ^= 0x01
            let code = Self.code { _ = try BackupRestore.open(altered, with: recovery) }
            #expect(["backup.tampered", "backup.damaged", "backup.wrong-key"].contains(code), "offset \(offset): \(code ?? "accepted")")
        }
        // A newer format.
        var newer = archive
        newer[9] = 2
        #expect(Self.code { _ = try BackupRestore.open(newer, with: recovery) } == "backup.newer-format")
        // Another recovery key, another install's master key.
        #expect(Self.code { _ = try BackupRestore.open(archive, with: .recovery(try TestKeys.key(140))) } == "backup.wrong-key")
        #expect(Self.code { _ = try BackupRestore.open(archive, with: .masterKey(try MasterKey.generate())) } == "backup.wrong-key")
        // A manifest that disagrees with its vault, authenticated with the real data key.
        let opened = try BackupRestore.open(archive, with: recovery)
        let lying = BackupManifest(
            format: 1, keywardVersion: opened.manifest.keywardVersion, installID: opened.manifest.installID,
            generation: opened.manifest.generation, createdAt: opened.manifest.createdAt, modes: [:],
            auditEntries: opened.manifest.auditEntries, auditHead: opened.manifest.auditHead,
            recoveryKeyFingerprint: opened.manifest.recoveryKeyFingerprint)
        let forged = try BackupArchive.make(
            manifest: lying, vault: opened.archive.vault, audit: opened.archive.audit, dataKey: opened.dataKey,
            recoveryKey: try Self.recovery.get().publicKey)
        #expect(Self.code { _ = try BackupRestore.open(forged, with: recovery) } == "backup.manifest-mismatch")

        // Restores that must not happen, each leaving the directory as it was.
        let other = try VaultFixture()
        _ = try await other.openServingTestMode()
        let otherBefore = try other.vaultBytes()
        #expect(
            Self.code {
                try BackupRestore.restore(
                    opened, openedWith: recovery, into: other.directory.path, masterKey: try opened.newMasterKey(), force: false)
            } == "backup.other-install")
        #expect(try other.vaultBytes() == otherBefore)
        // In place, over a newer vault of the same install: refused, unless forced.
        do {
            let vault = try await fixture.reopen()
            _ = try await vault.apply(.deactivate, to: .test, by: .currentProcess)
        }
        try await Task.sleep(for: .milliseconds(100))  // the vault's lock goes with its last reference
        let newerBefore = try fixture.vaultBytes()
        #expect(
            Self.code {
                try BackupRestore.restore(
                    opened, openedWith: recovery, into: fixture.directory.path, masterKey: try opened.newMasterKey(), force: false)
            } == "backup.older")
        #expect(try fixture.vaultBytes() == newerBefore)
        // A daemon (here: an open vault) holds the directory: refused by its lock.
        let holder = try await fixture.reopen()
        #expect(
            Self.code {
                try BackupRestore.restore(
                    opened, openedWith: recovery, into: fixture.directory.path, masterKey: try opened.newMasterKey(), force: true)
            } == "vault.locked")
        _ = holder
    }

    @Test("a forced restore over a newer vault is recorded, and the replaced log is kept beside it")
    func forcedRestore() async throws {
        let (fixture, archive, _) = try await Self.backedUp()
        let recovery = BackupKey.recovery(try Self.recovery.get())
        do {
            let vault = try await fixture.reopen()
            _ = try await vault.apply(.deactivate, to: .test, by: .currentProcess)
        }
        try await Task.sleep(for: .milliseconds(100))
        let opened = try BackupRestore.open(archive, with: recovery)
        let key = try opened.newMasterKey()
        try BackupRestore.restore(opened, openedWith: recovery, into: fixture.directory.path, masterKey: key, force: true)
        let restored = try await Vault.open(
            store: try FileVaultStore(directory: fixture.directory.path), unlock: .masterKey(key), auditLogPath: fixture.auditPath,
            create: false)
        #expect(await restored.contents.test.isActive, "the backup's state: test mode active again")
        let last = try #require(try await restored.auditLines().last?.entry())
        #expect(last.action == "restore" && last.record.detail?.contains("forced over generation") == true)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: fixture.directory.path).contains {
                $0.hasPrefix("audit.log.before-restore-")
            })
        #expect(try await restored.checkAudit().valid)
    }
}
