/// The signature algorithms of the Alipay open platform and Alipay+.
public enum SignatureAlgorithm: String, Sendable, CaseIterable, Codable {
    /// SHA256withRSA, PKCS#1 v1.5 (`sign_type=RSA2`; `algorithm=RSA256` in Alipay+ headers).
    case rsa2 = "RSA2"
    /// SHA1withRSA, PKCS#1 v1.5 (`sign_type=RSA`). Verify-only: old platform signatures can
    /// still be checked, but Keyward never makes one.
    case rsa = "RSA"

    /// Whether Keyward will make signatures with this algorithm.
    public var canSign: Bool { self == .rsa2 }
}
