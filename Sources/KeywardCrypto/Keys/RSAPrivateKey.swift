import CKeywardOpenSSL

/// A merchant's RSA private key, 2048 bits or more, checked for consistency.
///
/// It never prints (`description` is `<redacted>`), and its exported forms come back as
/// `SecretBytes`. Immutable and safe to share between tasks.
public final class RSAPrivateKey: Sendable {
    let key: EVPKey

    /// The form the key was read in; nil for a key Keyward generated.
    public let sourceFormat: PrivateKeyFormat?

    /// The public half, as its own value that holds no private material.
    public let publicKey: RSAPublicKey

    /// Prepared signing contexts, reused between signatures.
    let signingContexts: SigningContexts

    init(key: EVPKey, sourceFormat: PrivateKeyFormat?) throws {
        self.key = key
        self.signingContexts = SigningContexts(key: key)
        self.sourceFormat = sourceFormat
        // Re-read the public half from its SPKI DER so it cannot carry private numbers.
        let spki = try KeyDER.encodePublicKey(key, as: .spki)
        self.publicKey = try spki.withUnsafeBytes { try RSAPublicKey(parsing: $0) }
    }

    /// Reads a private key in any supported form: PKCS#1 or PKCS#8, as PEM, DER or bare
    /// base64. Refuses EC, Ed25519 and other algorithms, RSA under 2048 bits, encrypted keys,
    /// public keys, and keys that fail OpenSSL's consistency check.
    public convenience init(parsing input: UnsafeRawBufferPointer) throws {
        let (key, format) = try KeyParser.privateKey(from: input)
        try self.init(key: key, sourceFormat: format)
    }

    /// Reads a private key from a secret buffer (for example a file read into one).
    public convenience init(parsing input: SecretBytes) throws {
        let (key, format) = try input.withUnsafeBytes { try KeyParser.privateKey(from: $0) }
        try self.init(key: key, sourceFormat: format)
    }

    /// Generates a new key pair with OpenSSL's CSPRNG. Takes tens to hundreds of
    /// milliseconds (seconds for 4096 bits): call it off any event loop.
    public static func generate(size: RSAKeySize = .bits2048) throws -> RSAPrivateKey {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "RSA", nil) else {
            throw CryptoError.openSSL("EVP_PKEY_CTX_new_from_name")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else { throw CryptoError.openSSL("EVP_PKEY_keygen_init") }
        guard EVP_PKEY_CTX_set_rsa_keygen_bits(context, Int32(size.rawValue)) == 1 else {
            throw CryptoError.openSSL("EVP_PKEY_CTX_set_rsa_keygen_bits")
        }
        var generated: OpaquePointer? = nil
        guard EVP_PKEY_generate(context, &generated) == 1, let generated else {
            throw CryptoError.openSSL("EVP_PKEY_generate")
        }
        return try RSAPrivateKey(key: EVPKey(taking: generated), sourceFormat: nil)
    }

    /// The modulus size in bits.
    public var bits: Int { key.bits }

    /// The key in `format`. PEM and bare forms are ASCII text; DER is binary.
    public func exported(as format: PrivateKeyFormat) throws -> SecretBytes {
        let der = try KeyDER.encodePrivateKey(key, as: format.structure)
        switch format.encoding {
        case .der: return der
        case .bare: return der.withUnsafeBytes { Base64.encode($0) }
        case .pem: return der.withUnsafeBytes { PEM.armour($0, label: format.structure.pemLabel) }
        }
    }

    /// Whether `publicKey` is the public half of this key.
    public func matches(_ publicKey: RSAPublicKey) -> Bool {
        key.hasSamePublicKey(as: publicKey.key)
    }
}

extension RSAPrivateKey: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "RSAPrivateKey(<redacted>, \(bits) bits, public \(publicKey.fingerprint))" }
    public var debugDescription: String { description }
}

extension RSAPrivateKey {
    /// Reads a PKCS#8 or PKCS#1 DER private key from storage that has already authenticated
    /// it (the vault body, under AES-GCM). Type and size are still checked; OpenSSL's full
    /// consistency check, which costs milliseconds per key, is skipped.
    public convenience init(parsingTrustedDER der: SecretBytes) throws {
        guard let key = KeyDER.privateKeyPKCS8(der) ?? KeyDER.privateKeyPKCS1(der) else {
            throw CryptoError.notAKey(.privateKey, encoding: .der)
        }
        try KeyParser.validate(key, role: .privateKey)
        try self.init(key: key, sourceFormat: PrivateKeyFormat(KeyDER.shape(der) == .privateKeyInfo ? .pkcs8 : .pkcs1, .der))
    }
}
