public import KeywardAPI

/// The codes of `VaultError`: The vault file, its master key and the master-key credential (docs/api.md).
/// Each carries the HTTP status the socket API answers it with; docs list every one
/// (`ErrorCatalogTests` holds code and docs together).
public enum VaultErrorCode: String, ErrorCode, CaseIterable {
    case credentialBadSealingKey = "credential.bad-sealing-key"
    case credentialEncryptFailed = "credential.encrypt-failed"
    case credentialExists = "credential.exists"
    case credentialNoSystemdCreds = "credential.no-systemd-creds"
    case corrupt = "vault.corrupt"
    case directoryUnusable = "vault.directory-unusable"
    case exists = "vault.exists"
    case locked = "vault.locked"
    case masterKeyMalformed = "vault.master-key-malformed"
    case masterKeyMissing = "vault.master-key-missing"
    case masterKeyNotFile = "vault.master-key-not-file"
    case masterKeyOwner = "vault.master-key-owner"
    case masterKeyPermissions = "vault.master-key-permissions"
    case missing = "vault.missing"
    case needsMasterKey = "vault.needs-master-key"
    case needsPassphrase = "vault.needs-passphrase"
    case newerFormat = "vault.newer-format"
    case noSpace = "vault.no-space"
    case notAVault = "vault.not-a-vault"
    case otherInstall = "vault.other-install"
    case tampered = "vault.tampered"
    case truncated = "vault.truncated"
    case writeFailed = "vault.write-failed"
    case wrongMasterKey = "vault.wrong-master-key"
    case wrongPassphrase = "vault.wrong-passphrase"

    public var status: Int {
        switch self {
        case .noSpace, .writeFailed: 503
        default: 500
        }
    }
}
