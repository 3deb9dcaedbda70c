import KeywardCrypto

/// Seals `VaultContents` into vault file bytes and opens them again (docs/vault-format.md).
package enum VaultCodec {
    /// What opening a vault file yields.
    package struct Opened {
        let contents: VaultContents
        let header: VaultHeader
        let dataKey: SecretBytes
        let keyEncryptionKey: KeyEncryptionKey
    }

    static func seal(
        _ contents: VaultContents,
        dataKey: SecretBytes,
        keyEncryptionKey: KeyEncryptionKey,
        installID: InstallID,
        generation: UInt64
    ) throws -> [UInt8] {
        let body = try VaultBodyCodec.encode(contents)
        // The data key is wrapped again with every write, authenticated with this header.
        var header = VaultHeader(
            keySource: keyEncryptionKey.source,
            installID: installID,
            generation: generation,
            scrypt: keyEncryptionKey.scrypt,
            salt: keyEncryptionKey.salt,
            keyCheck: try keyEncryptionKey.keyCheck(),
            wrappedDataKey: AESGCM.SealedBox(
                nonce: [UInt8](repeating: 0, count: 12), ciphertext: [UInt8](repeating: 0, count: 32), tag: [UInt8](repeating: 0, count: 16)
            ),
            bodyNonce: [UInt8](repeating: 0, count: 12),
            bodyLength: UInt32(body.count)
        )
        header.wrappedDataKey = try AESGCM.seal(
            dataKey,
            key: keyEncryptionKey.key,
            authenticating: Array(header.encoded().prefix(VaultHeader.keyWrapAuthenticatedSize))
        )
        // The body nonce must be in the header before the body is sealed, since the whole
        // header is the body's associated data: draw it here and seal with it.
        header.bodyNonce = try SecureRandom.bytes(count: AESGCM.nonceByteCount)
        let sealed = try AESGCM.seal(body, key: dataKey, nonce: header.bodyNonce, authenticating: header.encoded())
        return header.encoded() + sealed.ciphertext + sealed.tag
    }

    package static func open(_ file: [UInt8], unlock: VaultUnlock) throws -> Opened {
        let header = try VaultHeader(parsing: file)
        let keyEncryptionKey = try KeyEncryptionKey.forExistingVault(unlock, header: header)
        guard try keyEncryptionKey.keyCheck() == header.keyCheck else {
            switch header.keySource {
            case .masterKey:
                throw VaultError(
                    code: .wrongMasterKey,
                    message: "the master key does not open this vault",
                    hint: "check the credential or key file; after a rekey, use the new master key"
                )
            case .passphrase:
                throw VaultError(code: .wrongPassphrase, message: "the passphrase does not open this vault", hint: "try again")
            }
        }
        let headerBytes = Array(file[0..<VaultHeader.size])
        let dataKey: SecretBytes
        let body: SecretBytes
        do {
            dataKey = try AESGCM.open(
                header.wrappedDataKey,
                key: keyEncryptionKey.key,
                authenticating: Array(headerBytes.prefix(VaultHeader.keyWrapAuthenticatedSize))
            )
            let ciphertext = Array(file[VaultHeader.size..<(file.count - VaultHeader.tagSize)])
            let tag = Array(file[(file.count - VaultHeader.tagSize)...])
            body = try AESGCM.open(
                AESGCM.SealedBox(nonce: header.bodyNonce, ciphertext: ciphertext, tag: tag),
                key: dataKey,
                authenticating: headerBytes
            )
        } catch let error as CryptoError where error.kind == .aeadAuthenticationFailed {
            throw VaultError(
                code: .tampered,
                message: "the vault file failed authentication: it was changed or damaged after it was written",
                hint: "restore the vault from a backup; the file was not changed"
            )
        }
        return Opened(contents: try VaultBodyCodec.decode(body), header: header, dataKey: dataKey, keyEncryptionKey: keyEncryptionKey)
    }

    /// Opens a vault file with its data key itself (a restore, which unwrapped the data key
    /// with the recovery key): the body is authenticated by the data key and the header.
    static func open(_ file: [UInt8], dataKey: SecretBytes) throws -> (contents: VaultContents, header: VaultHeader) {
        let header = try VaultHeader(parsing: file)
        let headerBytes = Array(file[0..<VaultHeader.size])
        let body: SecretBytes
        do {
            let ciphertext = Array(file[VaultHeader.size..<(file.count - VaultHeader.tagSize)])
            let tag = Array(file[(file.count - VaultHeader.tagSize)...])
            body = try AESGCM.open(
                AESGCM.SealedBox(nonce: header.bodyNonce, ciphertext: ciphertext, tag: tag), key: dataKey, authenticating: headerBytes)
        } catch let error as CryptoError where error.kind == .aeadAuthenticationFailed {
            throw VaultError(
                code: .tampered, message: "the vault in the backup failed authentication with its data key",
                hint: "use another copy of the backup")
        }
        return (try VaultBodyCodec.decode(body), header)
    }

    /// Seals `contents` under a new master key, keeping the data key (a restore onto a new
    /// host: the audit log's MACs, keyed from the data key, stay valid).
    static func seal(
        _ contents: VaultContents, dataKey: SecretBytes, masterKey: MasterKey, generation: UInt64
    ) throws -> [UInt8] {
        try seal(
            contents, dataKey: dataKey, keyEncryptionKey: try KeyEncryptionKey.forNewVault(.masterKey(masterKey)),
            installID: masterKey.installID, generation: generation)
    }
}
