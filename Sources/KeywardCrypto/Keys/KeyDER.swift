import CKeywardOpenSSL

/// DER codecs for RSA keys over OpenSSL's d2i/i2d functions (EVP level; none of the
/// deprecated `RSA_*` API). Each decoder returns nil unless it consumed every byte.
enum KeyDER {
    private typealias Decoder = (UnsafeMutablePointer<UnsafePointer<UInt8>?>, Int) -> OpaquePointer?

    private static func decodeWhole(_ der: SecretBytes, _ decoder: Decoder) -> EVPKey? {
        defer { OpenSSLErrorQueue.clear() }
        return der.withUnsafeBytes { raw -> EVPKey? in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self), raw.count > 0 else { return nil }
            var cursor: UnsafePointer<UInt8>? = UnsafePointer(base)
            guard let pointer = decoder(&cursor, raw.count) else { return nil }
            let key = EVPKey(taking: pointer)
            guard let cursor, cursor - UnsafePointer(base) == raw.count else { return nil }
            return key
        }
    }

    static func shape(_ der: SecretBytes) -> DERShape {
        der.withUnsafeBytes { DERShape($0) }
    }

    static func privateKeyPKCS8(_ der: SecretBytes) -> EVPKey? {
        guard shape(der) == .privateKeyInfo else { return nil }
        return decodeWhole(der) { cursor, length in
            guard let info = d2i_PKCS8_PRIV_KEY_INFO(nil, cursor, length) else { return nil }
            defer { PKCS8_PRIV_KEY_INFO_free(info) }
            return EVP_PKCS82PKEY(info)
        }
    }

    static func privateKeyPKCS1(_ der: SecretBytes) -> EVPKey? {
        guard shape(der) == .rsaPrivateKey else { return nil }
        return decodeWhole(der) { d2i_PrivateKey(EVP_PKEY_RSA, nil, $0, $1) }
    }

    /// Any private key OpenSSL knows, in any traditional or PKCS#8 form: used only to name
    /// what was given when it is not an RSA key.
    static func privateKeyOfAnyType(_ der: SecretBytes) -> EVPKey? {
        decodeWhole(der) { d2i_AutoPrivateKey(nil, $0, $1) }
    }

    static func publicKeySPKI(_ der: SecretBytes) -> EVPKey? {
        guard shape(der) == .subjectPublicKeyInfo else { return nil }
        return decodeWhole(der) { d2i_PUBKEY(nil, $0, $1) }
    }

    static func publicKeyPKCS1(_ der: SecretBytes) -> EVPKey? {
        guard shape(der) == .rsaPublicKey else { return nil }
        return decodeWhole(der) { d2i_PublicKey(EVP_PKEY_RSA, nil, $0, $1) }
    }

    private typealias Encoder = (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>) -> Int32

    /// Runs an i2d encoder that allocates its output, copies it into a secret buffer and
    /// cleanses OpenSSL's copy.
    private static func encode(_ operation: String, _ encoder: Encoder) throws -> SecretBytes {
        var output: UnsafeMutablePointer<UInt8>? = nil
        let length = encoder(&output)
        guard length > 0, let output else { throw CryptoError.openSSL(operation) }
        defer { CKeywardOpenSSL_clearFree(output, Int(length)) }
        return SecretBytes(copying: UnsafeRawBufferPointer(start: output, count: Int(length)))
    }

    static func encodePrivateKey(_ key: EVPKey, as structure: PrivateKeyStructure) throws -> SecretBytes {
        switch structure {
        case .pkcs1:
            // For an RSA key, the "traditional" form i2d_PrivateKey writes is PKCS#1.
            return try encode("i2d_PrivateKey") { i2d_PrivateKey(key.pointer, $0) }
        case .pkcs8:
            guard let info = EVP_PKEY2PKCS8(key.pointer) else { throw CryptoError.openSSL("EVP_PKEY2PKCS8") }
            defer { PKCS8_PRIV_KEY_INFO_free(info) }
            return try encode("i2d_PKCS8_PRIV_KEY_INFO") { i2d_PKCS8_PRIV_KEY_INFO(info, $0) }
        }
    }

    static func encodePublicKey(_ key: EVPKey, as structure: PublicKeyStructure) throws -> [UInt8] {
        let secret: SecretBytes
        switch structure {
        case .spki: secret = try encode("i2d_PUBKEY") { i2d_PUBKEY(key.pointer, $0) }
        case .pkcs1: secret = try encode("i2d_PublicKey") { i2d_PublicKey(key.pointer, $0) }
        }
        return secret.withUnsafeBytes { Array($0) }
    }
}
