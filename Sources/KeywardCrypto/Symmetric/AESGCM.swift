import CKeywardOpenSSL

/// AES-256-GCM authenticated encryption with associated data.
///
/// Nonces are 12 random bytes per seal; tags are 16 bytes. Opening fails as a whole on any
/// change to the ciphertext, the tag, the nonce or the associated data, and on a wrong key:
/// no partial plaintext is ever returned.
public enum AESGCM {
    public static let keyByteCount = 32
    public static let nonceByteCount = 12
    public static let tagByteCount = 16

    /// A sealed message: nonce, ciphertext and tag.
    public struct SealedBox: Sendable, Equatable {
        public let nonce: [UInt8]
        public let ciphertext: [UInt8]
        public let tag: [UInt8]

        public init(nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]) {
            self.nonce = nonce
            self.ciphertext = ciphertext
            self.tag = tag
        }
    }

    /// Encrypts `plaintext` under `key` (32 bytes) with a fresh random nonce, binding
    /// `associatedData` to it.
    public static func seal(_ plaintext: SecretBytes, key: SecretBytes, authenticating associatedData: [UInt8]) throws -> SealedBox {
        try seal(plaintext, key: key, nonce: try SecureRandom.bytes(count: nonceByteCount), authenticating: associatedData)
    }

    /// Encrypts with a nonce the caller drew from `SecureRandom` (for formats whose
    /// associated data contains the nonce). Never reuse a nonce with the same key.
    public static func seal(_ plaintext: SecretBytes, key: SecretBytes, nonce: [UInt8], authenticating associatedData: [UInt8]) throws
        -> SealedBox
    {
        try checkKey(key)
        guard nonce.count == nonceByteCount else {
            throw CryptoError(
                code: .aeadBadNonceSize, message: "an AES-GCM nonce must be \(nonceByteCount) bytes",
                hint: "this is a programming error; report it")
        }
        guard let context = EVP_CIPHER_CTX_new() else { throw CryptoError.openSSL("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(context) }

        let initialised = key.withUnsafeBytes { keyBytes in
            EVP_EncryptInit_ex(context, EVP_aes_256_gcm(), nil, keyBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), nonce)
        }
        guard initialised == 1 else { throw CryptoError.openSSL("EVP_EncryptInit_ex") }
        var outLength: Int32 = 0
        if !associatedData.isEmpty {
            guard EVP_EncryptUpdate(context, nil, &outLength, associatedData, Int32(associatedData.count)) == 1 else {
                throw CryptoError.openSSL("EVP_EncryptUpdate(aad)")
            }
        }
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count + 16)
        var written = 0
        if plaintext.count > 0 {
            let updated = plaintext.withUnsafeBytes { input in
                EVP_EncryptUpdate(
                    context, &ciphertext, &outLength, input.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(input.count))
            }
            guard updated == 1 else { throw CryptoError.openSSL("EVP_EncryptUpdate") }
            written = Int(outLength)
        }
        let finished = ciphertext.withUnsafeMutableBufferPointer { buffer in
            EVP_EncryptFinal_ex(context, buffer.baseAddress! + written, &outLength)
        }
        guard finished == 1 else { throw CryptoError.openSSL("EVP_EncryptFinal_ex") }
        written += Int(outLength)
        var tag = [UInt8](repeating: 0, count: tagByteCount)
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(tagByteCount), &tag) == 1 else {
            throw CryptoError.openSSL("EVP_CTRL_GCM_GET_TAG")
        }
        return SealedBox(nonce: nonce, ciphertext: Array(ciphertext.prefix(written)), tag: tag)
    }

    /// Decrypts and authenticates `box`. Throws `aead.authentication-failed` when anything
    /// was changed or the key is wrong.
    public static func open(_ box: SealedBox, key: SecretBytes, authenticating associatedData: [UInt8]) throws -> SecretBytes {
        try checkKey(key)
        guard box.nonce.count == nonceByteCount, box.tag.count == tagByteCount else { throw authenticationFailed }
        guard let context = EVP_CIPHER_CTX_new() else { throw CryptoError.openSSL("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(context) }

        let initialised = key.withUnsafeBytes { keyBytes in
            EVP_DecryptInit_ex(context, EVP_aes_256_gcm(), nil, keyBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), box.nonce)
        }
        guard initialised == 1 else { throw CryptoError.openSSL("EVP_DecryptInit_ex") }
        var outLength: Int32 = 0
        if !associatedData.isEmpty {
            guard EVP_DecryptUpdate(context, nil, &outLength, associatedData, Int32(associatedData.count)) == 1 else {
                throw CryptoError.openSSL("EVP_DecryptUpdate(aad)")
            }
        }
        var tag = box.tag
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(tagByteCount), &tag) == 1 else {
            throw CryptoError.openSSL("EVP_CTRL_GCM_SET_TAG")
        }
        // Decrypt into a secret buffer; if the tag check fails, the buffer is dropped
        // (and cleansed) without ever being returned.
        var failed = false
        let plaintext = SecretBytes(count: box.ciphertext.count) { output in
            let out = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
            var written: Int32 = 0
            if !box.ciphertext.isEmpty {
                guard EVP_DecryptUpdate(context, out, &outLength, box.ciphertext, Int32(box.ciphertext.count)) == 1 else {
                    failed = true
                    return
                }
                written = outLength
            }
            // GCM writes nothing here; SecretBytes always has a base address, even when empty.
            if EVP_DecryptFinal_ex(context, out.map { $0 + Int(written) }, &outLength) != 1 { failed = true }
        }
        OpenSSLErrorQueue.clear()
        if failed { throw authenticationFailed }
        return plaintext
    }

    private static func checkKey(_ key: SecretBytes) throws {
        guard key.count == keyByteCount else {
            throw CryptoError(
                code: .aeadBadKeySize,
                message: "an AES-256-GCM key must be \(keyByteCount) bytes, not \(key.count)",
                hint: "this is a programming error in the caller; report it"
            )
        }
    }

    static let authenticationFailed = CryptoError(
        code: .aeadAuthenticationFailed,
        message: "the encrypted data failed authentication: it was changed, or the key or context is wrong",
        hint: "check that the right key is used; if it is, the data was damaged or tampered with"
    )
}
