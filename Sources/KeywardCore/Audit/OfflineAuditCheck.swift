import KeywardCrypto

/// Checks a state directory's audit log against its vault without a running daemon and
/// without taking the vault's lock: for a daemon that will not start because its log does not
/// fit, or for an auditor with a copy of the directory and the master key.
public enum OfflineAuditCheck {
    public static func check(stateDirectory: String, unlock: VaultUnlock) throws -> AuditCheck {
        let vaultPath = "\(stateDirectory)/\(FileVaultStore.vaultFileName)"
        let bytes = try SecureFile.read(vaultPath).withUnsafeBytes { Array($0) }
        let opened = try VaultCodec.open(bytes, unlock: unlock)
        let log = AuditLog(path: "\(stateDirectory)/audit.log")
        log.macKey = try AuditLog.macKey(dataKey: opened.dataKey)
        return try log.check(sealed: opened.contents.lastAuditEntry, sealedElsewhere: false)
    }
}
