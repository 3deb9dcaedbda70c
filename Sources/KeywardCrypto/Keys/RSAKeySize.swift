/// RSA modulus sizes Keyward accepts.
///
/// Alipay RSA2 requires 2048 bits or more; keys under 2048 bits are refused on every input
/// path. Sizes above 16384 bits are refused too: they serve no purpose and make each
/// signature cost seconds.
public enum RSAKeySize: Int, Sendable, CaseIterable, Codable {
    case bits2048 = 2048
    case bits3072 = 3072
    case bits4096 = 4096

    /// The smallest modulus accepted anywhere.
    public static let minimumBits = 2048
    /// The largest modulus accepted anywhere.
    public static let maximumBits = 16384
}
