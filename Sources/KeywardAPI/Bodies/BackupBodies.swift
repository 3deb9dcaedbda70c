public import Foundation

/// What a backup holds, readable without any key (`keywardctl backup verify` shows it; a
/// restore checks the vault inside against it).
public struct BackupManifest: Codable, Sendable, Equatable {
    /// The archive's format (1); a newer one is refused with `backup.newer-format`.
    public let format: Int
    public let keywardVersion: String
    public let installID: String
    /// The vault generation the backup was taken at.
    public let generation: UInt64
    public let createdAt: Date
    public let modes: [Mode: BackupModeSummary]
    /// Audit entries in the backup, and the SHA-256 of the last one's line.
    public let auditEntries: Int
    public let auditHead: String?
    /// The SHA-256 fingerprint of the recovery public key the data key is wrapped to.
    public let recoveryKeyFingerprint: String
    /// Made on a fleet node: the vault is the store's, the audit log this node's (it need not
    /// hold the entry the vault sealed, which another node may have written).
    public let sharedStore: Bool?

    public init(
        format: Int, keywardVersion: String, installID: String, generation: UInt64, createdAt: Date, modes: [Mode: BackupModeSummary],
        auditEntries: Int, auditHead: String?, recoveryKeyFingerprint: String, sharedStore: Bool? = nil
    ) {
        self.format = format
        self.keywardVersion = keywardVersion
        self.installID = installID
        self.generation = generation
        self.createdAt = createdAt
        self.modes = modes
        self.auditEntries = auditEntries
        self.auditHead = auditHead
        self.recoveryKeyFingerprint = recoveryKeyFingerprint
        self.sharedStore = sharedStore
    }
}

/// One mode in a backup's manifest: what a restore must serve again.
public struct BackupModeSummary: Codable, Sendable, Equatable {
    public let active: Bool
    public let version: Int?
    public let merchantKeyFingerprint: String?
    public let platformKeyFingerprint: String?
    public let identity: String?

    public init(active: Bool, version: Int?, merchantKeyFingerprint: String?, platformKeyFingerprint: String?, identity: String?) {
        self.active = active
        self.version = version
        self.merchantKeyFingerprint = merchantKeyFingerprint
        self.platformKeyFingerprint = platformKeyFingerprint
        self.identity = identity
    }
}

/// `POST /v1/backups`: the archive (base64) and its manifest.
public struct BackupAnswer: Codable, Sendable {
    public let archive: String
    public let manifest: BackupManifest

    public init(archive: String, manifest: BackupManifest) {
        self.archive = archive
        self.manifest = manifest
    }
}

/// What `keywardctl backup verify` and `restore` print with --json.
public struct BackupCheckResult: Codable, Sendable, Equatable {
    public let file: String
    public let manifest: BackupManifest
    /// How the archive was opened: `recovery-key` or `master-key`.
    public let openedWith: String
    /// Restore only: where the vault and the new master key were written.
    public let stateDirectory: String?
    public let masterKeyFile: String?

    public init(file: String, manifest: BackupManifest, openedWith: String, stateDirectory: String? = nil, masterKeyFile: String? = nil) {
        self.file = file
        self.manifest = manifest
        self.openedWith = openedWith
        self.stateDirectory = stateDirectory
        self.masterKeyFile = masterKeyFile
    }
}

/// What `keywardctl recovery-key generate` prints with --json (never the private key).
public struct RecoveryKeyFiles: Codable, Sendable, Equatable {
    public let privateKeyFile: String
    public let publicKeyFile: String
    public let fingerprint: String
    public let algorithm: String

    public init(privateKeyFile: String, publicKeyFile: String, fingerprint: String, algorithm: String) {
        self.privateKeyFile = privateKeyFile
        self.publicKeyFile = publicKeyFile
        self.fingerprint = fingerprint
        self.algorithm = algorithm
    }
}
