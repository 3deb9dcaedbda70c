/// An RSA public key of 2048 bits or more: a merchant public key or a platform public key.
public final class RSAPublicKey: Sendable {
    let key: EVPKey

    /// The form the key was read in.
    public let sourceFormat: PublicKeyFormat

    /// SHA-256 over the SubjectPublicKeyInfo DER: the key's identity everywhere in Keyward.
    public let fingerprint: KeyFingerprint

    /// Reads a public key in any supported form: SubjectPublicKeyInfo or PKCS#1, as PEM,
    /// DER or bare base64. Refuses other algorithms, RSA under 2048 bits and private keys.
    public convenience init(parsing input: UnsafeRawBufferPointer) throws {
        let (key, format) = try KeyParser.publicKey(from: input)
        try self.init(key: key, sourceFormat: format)
    }

    init(key: EVPKey, sourceFormat: PublicKeyFormat) throws {
        self.key = key
        self.sourceFormat = sourceFormat
        self.fingerprint = KeyFingerprint(spkiDER: try KeyDER.encodePublicKey(key, as: .spki))
    }

    /// Reads a public key from text (PEM or bare base64).
    public convenience init(parsing text: String) throws {
        var text = text
        try self.init(parsing: text.withUTF8 { Array($0) })
    }

    /// Reads a public key from bytes.
    public convenience init(parsing bytes: [UInt8]) throws {
        try self.init(parsing: bytes.withUnsafeBytes { SecretBytes(copying: $0) })
    }

    /// Reads a public key from a buffer.
    public convenience init(parsing input: SecretBytes) throws {
        let (key, format) = try input.withUnsafeBytes { try KeyParser.publicKey(from: $0) }
        try self.init(key: key, sourceFormat: format)
    }

    /// The modulus size in bits.
    public var bits: Int { key.bits }

    /// The key in `format`. PEM and bare forms are ASCII text; DER is binary.
    public func exported(as format: PublicKeyFormat) throws -> [UInt8] {
        let der = try KeyDER.encodePublicKey(key, as: format.structure)
        let encoded: SecretBytes
        switch format.encoding {
        case .der: return der
        case .bare: encoded = der.withUnsafeBytes { Base64.encode($0) }
        case .pem: encoded = der.withUnsafeBytes { PEM.armour($0, label: format.structure.pemLabel) }
        }
        return encoded.withUnsafeBytes { Array($0) }
    }

    /// SubjectPublicKeyInfo PEM text, what every Python Alipay SDK takes.
    public var pem: String { text(PublicKeyFormat(.spki, .pem)) }

    /// SubjectPublicKeyInfo as one line of base64: the form the Alipay dashboards show
    /// and take when uploading a merchant public key.
    public var bareBase64: String { text(PublicKeyFormat(.spki, .bare)) }

    private func text(_ format: PublicKeyFormat) -> String {
        // Encoding an already-valid key cannot fail short of memory exhaustion.
        guard let bytes = try? exported(as: format) else { return "" }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension RSAPublicKey: Equatable, Hashable {
    public static func == (lhs: RSAPublicKey, rhs: RSAPublicKey) -> Bool {
        lhs.fingerprint == rhs.fingerprint
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(fingerprint)
    }
}

extension RSAPublicKey: CustomStringConvertible {
    public var description: String { "RSAPublicKey(\(bits) bits, \(fingerprint))" }
}
