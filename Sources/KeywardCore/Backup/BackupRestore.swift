public import Foundation
public import KeywardCrypto

/// What opens a backup: the offline recovery key (to which every backup's data key is
/// wrapped), or the master key of the install (which opens the vault inside).
public enum BackupKey: Sendable {
    case recovery(RSAPrivateKey)
    case masterKey(MasterKey)

    /// How the archive was opened, as the restore entry and `--json` say it.
    public var name: String {
        switch self {
        case .recovery: "recovery-key"
        case .masterKey: "master-key"
        }
    }
}

/// A backup that passed every check: authentic, its vault opened with its data key, its
/// manifest in agreement with the vault, its audit chain intact.
public struct OpenedBackup: Sendable {
    public let manifest: BackupManifest
    public let contents: VaultContents
    let archive: BackupArchive
    let dataKey: SecretBytes
    public let installID: InstallID
    let generation: UInt64

    /// A new master key for this backup's install: the restored vault is sealed under it.
    public func newMasterKey() throws -> MasterKey { try MasterKey.generate(installID: installID) }
}

/// Verifying and restoring backups, offline (no daemon; docs/operations.md, "Backups and
/// recovery").
public enum BackupRestore {
    /// Opens and checks `bytes` with `key`; throws a `backup.*` error naming what is wrong.
    public static func open(_ bytes: [UInt8], with key: BackupKey) throws -> OpenedBackup {
        let archive = try BackupArchive(parsing: bytes)
        let dataKey: SecretBytes
        switch key {
        case .recovery(let recoveryKey):
            do {
                dataKey = try recoveryKey.unwrap(archive.wrappedDataKey)
            } catch {
                throw BackupError(
                    code: .wrongKey,
                    message:
                        "the recovery key (\(recoveryKey.publicKey.fingerprint)) does not open this backup (made for recovery key \(archive.manifest.recoveryKeyFingerprint))",
                    hint: "give the recovery private key whose public half was configured when the backup was made")
            }
        case .masterKey(let masterKey):
            do {
                dataKey = try VaultCodec.open(archive.vault, unlock: .masterKey(masterKey)).dataKey
            } catch let error as VaultError where [.wrongMasterKey, .otherInstall].contains(error.kind) {
                throw BackupError(
                    code: .wrongKey, message: "the master key does not open this backup (\(error.message))",
                    hint: "give the master key of install \(archive.manifest.installID), or the recovery key")
            } catch let error as VaultError {
                throw BackupError(code: .damaged, message: "the vault in the backup does not open: \(error.message)", hint: error.hint)
            }
        }
        try archive.authenticate(dataKey: dataKey)
        let (contents, header) = try VaultCodec.open(archive.vault, dataKey: dataKey)
        let manifest = archive.manifest
        func mismatch(_ what: String) -> BackupError {
            BackupError(
                code: .manifestMismatch, message: "the backup's manifest and its vault disagree: \(what)",
                hint: "the backup was not made by keywardctl backup create; use another copy")
        }
        guard manifest.installID == header.installID.hex else { throw mismatch("install \(manifest.installID) ≠ \(header.installID)") }
        guard manifest.generation == header.generation else { throw mismatch("generation \(manifest.generation) ≠ \(header.generation)") }
        guard manifest.modes == BackupManifest.modes(contents) else { throw mismatch("the modes' versions, keys or identities") }
        // The audit log: its chain and MACs, and the entry the vault sealed.
        let scratch = try ScratchDirectory()
        let log = AuditLog(path: scratch.path + "/audit.log")
        try SecureFile.createExclusive(log.path, bytes: archive.audit, mode: 0o600)
        log.macKey = try AuditLog.macKey(dataKey: dataKey)
        let lines = try log.lines()
        guard manifest.auditEntries == lines.count, manifest.auditHead == lines.last?.hash else {
            throw mismatch("the audit log has \(lines.count) entries, the manifest says \(manifest.auditEntries)")
        }
        let check = try log.check(sealed: contents.lastAuditEntry, sealedElsewhere: manifest.sharedStore == true)
        guard check.valid else { throw mismatch("its audit log does not verify (\(check.problem ?? "unknown"))") }
        return OpenedBackup(
            manifest: manifest, contents: contents, archive: archive, dataKey: dataKey, installID: header.installID,
            generation: header.generation)
    }

    /// Restores `backup` into `stateDirectory`, sealed under `masterKey` (a new key of the same
    /// install, `backup.newMasterKey()`, which the caller has stored: a file or a systemd
    /// credential). Refuses a directory held by a
    /// running daemon (its lock), one with a vault of another install, and one whose vault is
    /// newer than the backup unless `force` (which the restore entry records). The audit log
    /// is the backup's, with a `restore` entry; a local log it replaces is kept beside it.
    public static func restore(
        _ backup: OpenedBackup, openedWith key: BackupKey, into stateDirectory: String, masterKey newKey: MasterKey, force: Bool,
        at now: Date = Date()
    ) throws {
        guard newKey.installID == backup.installID else {
            throw BackupError(
                code: .wrongKey, message: "the new master key is of install \(newKey.installID), the backup of \(backup.installID)",
                hint: "make it with the backup's install (keywardctl backup restore does)")
        }
        let (store, generation, refusedNote) = try target(backup, stateDirectory, force: force)
        var note = refusedNote
        let auditPath = stateDirectory + "/audit.log"
        if FileManager.default.fileExists(atPath: auditPath) {
            let aside = auditPath + ".before-restore-" + String(Int(now.timeIntervalSince1970))
            guard rename(auditPath, aside) == 0 else {
                throw BackupError(
                    code: .damaged, message: "cannot move the existing \(auditPath) aside: \(String(cString: strerror(errno)))",
                    hint: "check the state directory's permissions")
            }
            note += "; the previous local log is in \(aside)"
        }
        try SecureFile.createExclusive(auditPath, bytes: backup.archive.audit, mode: 0o600)
        let log = AuditLog(path: auditPath)
        log.macKey = try AuditLog.macKey(dataKey: backup.dataKey)
        let line = try log.nextEntry(
            time: now, actor: .currentProcess, action: "restore", mode: nil,
            record: TransitionRecord(
                detail:
                    "from a backup of generation \(backup.generation) made \(backup.manifest.createdAt.ISO8601Format()), opened with the \(key.name)\(note)"
            ))
        var contents = backup.contents
        contents.lastAuditEntry = line
        try store.saveNow(try VaultCodec.seal(contents, dataKey: backup.dataKey, masterKey: newKey, generation: generation + 1))
        // A crash here is repaired at the daemon's start: the vault holds the entry.
        try log.append(line)
    }

    /// Checks that `stateDirectory` may take `backup` (see `restore`), without writing
    /// anything: run it before storing the new master key.
    public static func preflight(_ backup: OpenedBackup, into stateDirectory: String, force: Bool) throws {
        guard FileManager.default.fileExists(atPath: stateDirectory) else { return }
        _ = try target(backup, stateDirectory, force: force)
    }

    /// The locked store of `stateDirectory`, the generation to write after, and what the
    /// restore entry says of a forced restore.
    private static func target(_ backup: OpenedBackup, _ stateDirectory: String, force: Bool) throws -> (FileVaultStore, UInt64, String) {
        try FileManager.default.createDirectory(
            atPath: stateDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let store = try FileVaultStore(directory: stateDirectory)  // takes the lock: refused while a daemon holds it
        var note = ""
        var generation = backup.generation
        if let existing = try store.loadNow() {
            let header = try VaultHeader(parsing: existing)
            guard header.installID == backup.installID else {
                throw BackupError(
                    code: .otherInstall,
                    message: "\(stateDirectory) holds a vault of install \(header.installID); the backup is of install \(backup.installID)",
                    hint: "restore into an empty state directory, or the one of that install")
            }
            if header.generation > backup.generation {
                guard force else {
                    throw BackupError(
                        code: .older,
                        message:
                            "the vault in \(stateDirectory) is at generation \(header.generation), newer than the backup's \(backup.generation)",
                        hint: "restoring would undo changes made since the backup; add --force if that is what you mean (it is audited)")
                }
                note = "; forced over generation \(header.generation)"
            }
            generation = max(generation, header.generation)
        }
        return (store, generation, note)
    }
}

/// A private temporary directory, removed with everything in it when released.
final class ScratchDirectory {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "keyward-backup-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw BackupError(code: .damaged, message: "cannot make a temporary directory", hint: "check TMPDIR")
        }
        path = String(cString: made)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

extension SecureFile {
    /// Creates `path` (which must not exist) with `bytes` and `mode`.
    public static func createExclusive(_ path: String, bytes: [UInt8], mode: mode_t) throws {
        try bytes.withUnsafeBytes { try createExclusive(path, contents: $0, mode: mode) }
    }
}
