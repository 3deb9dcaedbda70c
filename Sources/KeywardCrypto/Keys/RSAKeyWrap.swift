import CKeywardOpenSSL

// RSA-OAEP (SHA-256, MGF1 with SHA-256): wraps a short secret, such as a vault's 32-byte data
// key, to the holder of an RSA private key. Used by backups for the offline recovery key
// (docs/operations.md, "Backups and recovery"); `openssl pkeyutl -decrypt -pkeyopt
// rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256` unwraps the
// same bytes, so a recovery does not depend on Keyward alone.

extension RSAPublicKey {
    /// `secret` encrypted with RSA-OAEP-SHA256 to this key.
    public func wrap(_ secret: SecretBytes) throws -> [UInt8] {
        let context = try OAEPContext(key.pointer, encrypting: true)
        defer { EVP_PKEY_CTX_free(context.pointer) }
        return try secret.withUnsafeBytes { input in
            let data = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
            var length = 0
            guard EVP_PKEY_encrypt(context.pointer, nil, &length, data, input.count) == 1 else {
                throw CryptoError.openSSL("EVP_PKEY_encrypt")
            }
            var output = [UInt8](repeating: 0, count: length)
            guard EVP_PKEY_encrypt(context.pointer, &output, &length, data, input.count) == 1 else {
                throw CryptoError.openSSL("EVP_PKEY_encrypt")
            }
            return Array(output.prefix(length))
        }
    }
}

extension RSAPrivateKey {
    /// The secret `wrapped` holds; throws `key.unwrap-failed` for another key's wrapping or
    /// damaged bytes.
    public func unwrap(_ wrapped: [UInt8]) throws -> SecretBytes {
        let context = try OAEPContext(key.pointer, encrypting: false)
        defer { EVP_PKEY_CTX_free(context.pointer) }
        var length = 0
        guard EVP_PKEY_decrypt(context.pointer, nil, &length, wrapped, wrapped.count) == 1 else {
            ERR_clear_error()
            throw Self.unwrapFailed()
        }
        var written = length
        var result: Int32 = 0
        let buffer = SecretBytes(count: length) { output in
            result = EVP_PKEY_decrypt(
                context.pointer, output.baseAddress?.assumingMemoryBound(to: UInt8.self), &written, wrapped, wrapped.count)
        }
        guard result == 1 else {
            ERR_clear_error()
            throw Self.unwrapFailed()
        }
        return buffer.withUnsafeBytes { SecretBytes(copying: UnsafeRawBufferPointer(rebasing: $0.prefix(written))) }
    }

    static func unwrapFailed() -> CryptoError {
        CryptoError(
            code: .keyUnwrapFailed, message: "the recovery key does not open this wrapping (another key, or damaged bytes)",
            hint: "give the recovery private key whose public half was configured when the backup was made")
    }
}

/// An EVP_PKEY_CTX set up for RSA-OAEP with SHA-256 and MGF1-SHA-256.
private struct OAEPContext {
    let pointer: OpaquePointer

    init(_ key: OpaquePointer, encrypting: Bool) throws {
        guard let context = EVP_PKEY_CTX_new(key, nil) else { throw CryptoError.openSSL("EVP_PKEY_CTX_new") }
        let ready =
            (encrypting ? EVP_PKEY_encrypt_init(context) : EVP_PKEY_decrypt_init(context)) == 1
            && EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_OAEP_PADDING) == 1
            && EVP_PKEY_CTX_set_rsa_oaep_md(context, EVP_sha256()) == 1
            && EVP_PKEY_CTX_set_rsa_mgf1_md(context, EVP_sha256()) == 1
        guard ready else {
            EVP_PKEY_CTX_free(context)
            throw CryptoError.openSSL("RSA-OAEP setup")
        }
        pointer = context
    }
}
