/// How a key's bytes are wrapped for transport.
public enum KeyEncoding: String, Sendable, CaseIterable, Codable {
    /// Text armour: `-----BEGIN …-----`, base64 in 64-character lines, `-----END …-----`.
    case pem
    /// Raw ASN.1 DER bytes.
    case der
    /// The DER as one line of base64 with no armour: what the Alipay dashboards show and
    /// what SDK configuration fields take.
    case bare
}

/// The ASN.1 structure of a private key.
public enum PrivateKeyStructure: String, Sendable, CaseIterable, Codable {
    /// `RSAPrivateKey` (PKCS#1), PEM label `RSA PRIVATE KEY`: what every Python Alipay SDK takes.
    case pkcs1
    /// `PrivateKeyInfo` (PKCS#8), PEM label `PRIVATE KEY`: what the Java SDKs take.
    case pkcs8

    var pemLabel: String {
        switch self {
        case .pkcs1: "RSA PRIVATE KEY"
        case .pkcs8: "PRIVATE KEY"
        }
    }
}

/// The ASN.1 structure of a public key.
public enum PublicKeyStructure: String, Sendable, CaseIterable, Codable {
    /// `SubjectPublicKeyInfo`, PEM label `PUBLIC KEY`: what the dashboards show and take.
    case spki
    /// `RSAPublicKey` (PKCS#1), PEM label `RSA PUBLIC KEY`.
    case pkcs1

    var pemLabel: String {
        switch self {
        case .spki: "PUBLIC KEY"
        case .pkcs1: "RSA PUBLIC KEY"
        }
    }
}

/// A private key's form: structure and encoding.
public struct PrivateKeyFormat: Hashable, Sendable, Codable, CustomStringConvertible {
    public var structure: PrivateKeyStructure
    public var encoding: KeyEncoding

    public init(_ structure: PrivateKeyStructure, _ encoding: KeyEncoding) {
        self.structure = structure
        self.encoding = encoding
    }

    public var description: String { "\(structure.rawValue)-\(encoding.rawValue)" }
}

/// A public key's form: structure and encoding.
public struct PublicKeyFormat: Hashable, Sendable, Codable, CustomStringConvertible {
    public var structure: PublicKeyStructure
    public var encoding: KeyEncoding

    public init(_ structure: PublicKeyStructure, _ encoding: KeyEncoding) {
        self.structure = structure
        self.encoding = encoding
    }

    public var description: String { "\(structure.rawValue)-\(encoding.rawValue)" }
}
