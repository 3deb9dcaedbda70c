public import KeywardAPI
public import KeywardCrypto

/// The codes of `BackupError`: backups, their verification and restore (docs/operations.md,
/// "Backups and recovery"). Each carries the HTTP status the socket API answers it with; docs
/// list every one (`ErrorCatalogTests` holds code and docs together).
public enum BackupErrorCode: String, ErrorCode, CaseIterable {
    case damaged = "backup.damaged"
    case fileExists = "backup.file-exists"
    case manifestMismatch = "backup.manifest-mismatch"
    case newerFormat = "backup.newer-format"
    case noRecoveryKey = "backup.no-recovery-key"
    case older = "backup.older"
    case otherInstall = "backup.other-install"
    case tampered = "backup.tampered"
    case wrongKey = "backup.wrong-key"

    public var status: Int {
        switch self {
        case .noRecoveryKey, .older, .otherInstall, .fileExists: 409
        default: 422
        }
    }
}

/// Errors of backups and restores.
public enum BackupErrorDomain: ErrorDomain {
    public typealias Code = BackupErrorCode
    public static let name = "backup"
}

public typealias BackupError = KeywardError<BackupErrorDomain>
