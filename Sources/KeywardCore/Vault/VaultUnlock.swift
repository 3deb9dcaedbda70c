public import KeywardCrypto

/// How a vault is unlocked: with a master key (systemd credential or key file) or with a
/// passphrase (interactive use).
public enum VaultUnlock: Sendable {
    case masterKey(MasterKey)
    case passphrase(SecretBytes, KeyDerivation.ScryptParameters = .interactive)
}

/// The key that wraps the vault's data key, derived once per open (scrypt is slow by design
/// and is not run again for every write).
struct KeyEncryptionKey: Sendable {
    let key: SecretBytes
    let source: VaultHeader.KeySource
    let salt: [UInt8]
    let scrypt: KeyDerivation.ScryptParameters?
    /// The install the master key belongs to; nil for a passphrase.
    let installID: InstallID?

    private static let wrapInfo = Array("keyward vault key-encryption key v1".utf8)
    private static let checkInfo = Array("keyward vault key check v1".utf8)

    /// Derives the key for a new vault (fresh salt for a passphrase).
    static func forNewVault(_ unlock: VaultUnlock) throws -> KeyEncryptionKey {
        switch unlock {
        case .masterKey(let masterKey):
            return try derive(masterKey: masterKey)
        case .passphrase(let passphrase, let parameters):
            return try derive(passphrase: passphrase, salt: try SecureRandom.bytes(count: 16), parameters: parameters)
        }
    }

    /// Derives the key for an existing vault from the parameters in its header.
    static func forExistingVault(_ unlock: VaultUnlock, header: VaultHeader) throws -> KeyEncryptionKey {
        switch (unlock, header.keySource) {
        case (.masterKey(let masterKey), .masterKey):
            guard masterKey.installID == header.installID else {
                throw VaultError(
                    code: .otherInstall,
                    message:
                        "the vault belongs to install \(header.installID), but the master key is that of install \(masterKey.installID)",
                    hint: "restore this host's own vault backup, or use the master key of the install the vault came from"
                )
            }
            return try derive(masterKey: masterKey)
        case (.passphrase(let passphrase, _), .passphrase):
            guard let parameters = header.scrypt else { throw VaultHeader.corrupt("no scrypt parameters") }
            return try derive(passphrase: passphrase, salt: header.salt, parameters: parameters)
        case (.masterKey, .passphrase):
            throw VaultError(
                code: .needsPassphrase,
                message: "the vault is locked with a passphrase, not a master key",
                hint: "unlock it with its passphrase (KEYWARD_PASSPHRASE or --passphrase-file), or rekey it to a master key"
            )
        case (.passphrase, .masterKey):
            throw VaultError(
                code: .needsMasterKey,
                message: "the vault is locked with a master key, not a passphrase",
                hint: "give the master key credential or key file"
            )
        }
    }

    private static func derive(masterKey: MasterKey) throws -> KeyEncryptionKey {
        let key = try KeyDerivation.hkdfSHA256(
            key: masterKey.material, salt: masterKey.installID.bytes, info: wrapInfo, outputByteCount: 32)
        return KeyEncryptionKey(
            key: key, source: .masterKey, salt: [UInt8](repeating: 0, count: 16), scrypt: nil, installID: masterKey.installID)
    }

    private static func derive(passphrase: SecretBytes, salt: [UInt8], parameters: KeyDerivation.ScryptParameters) throws
        -> KeyEncryptionKey
    {
        let key = try KeyDerivation.scrypt(passphrase: passphrase, salt: salt, parameters: parameters, outputByteCount: 32)
        return KeyEncryptionKey(key: key, source: .passphrase, salt: salt, scrypt: parameters, installID: nil)
    }

    /// A short value that tells a wrong key apart from a damaged file, revealing nothing of
    /// the key.
    func keyCheck() throws -> [UInt8] {
        try KeyDerivation.hkdfSHA256(key: key, salt: [], info: Self.checkInfo, outputByteCount: 16).withUnsafeBytes { Array($0) }
    }
}
