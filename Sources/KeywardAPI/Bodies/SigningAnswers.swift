/// The answer of `POST …/sign`.
public struct SignAnswer: Codable, Sendable, Equatable {
    public let algorithm: String
    /// Keyward's version of the key set that signed (not the Alipay+ header's keyVersion,
    /// which is the mode's configured `platformKeyVersion`, or absent).
    public let keyVersion: String
    /// Base64 RSA2 signature.
    public let signature: String
    /// For an Alipay+ message: the complete `Signature` header value.
    public let signatureHeader: String?
    /// For an Alipay+ message: the Client-ID that was signed (the mode's, when none was given).
    public let clientId: String?
    public let merchantKeyFingerprint: String

    public init(
        algorithm: String, keyVersion: String, signature: String, signatureHeader: String?, clientId: String? = nil,
        merchantKeyFingerprint: String
    ) {
        self.algorithm = algorithm
        self.keyVersion = keyVersion
        self.signature = signature
        self.signatureHeader = signatureHeader
        self.clientId = clientId
        self.merchantKeyFingerprint = merchantKeyFingerprint
    }
}

/// Which platform key verified a signature.
public enum MatchedKey: String, Codable, Sendable, Equatable {
    case current
    /// The key before the last commit, within its grace window.
    case previous
}

/// The answer of `POST …/verify`. `matched` and `keyVersion` are always present: null when
/// no key verified the signature.
public struct VerifyAnswer: Codable, Sendable, Equatable {
    public let valid: Bool
    public let matched: MatchedKey?
    public let keyVersion: String?
    public let algorithm: String
    /// Certificate mode: the SN of the Alipay certificate whose key verified it.
    public let alipayCertSN: String?

    public init(valid: Bool, matched: MatchedKey?, keyVersion: String?, algorithm: String, alipayCertSN: String? = nil) {
        self.valid = valid
        self.matched = matched
        self.keyVersion = keyVersion
        self.algorithm = algorithm
        self.alipayCertSN = alipayCertSN
    }

    enum CodingKeys: String, CodingKey { case valid, matched, keyVersion, algorithm, alipayCertSN }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(valid, forKey: .valid)
        try container.encode(matched, forKey: .matched)
        try container.encode(keyVersion, forKey: .keyVersion)
        try container.encode(algorithm, forKey: .algorithm)
        try container.encodeIfPresent(alipayCertSN, forKey: .alipayCertSN)
    }
}
