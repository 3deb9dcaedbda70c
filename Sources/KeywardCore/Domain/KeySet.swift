public import Foundation
public import KeywardCrypto

/// One mode's keys at one version: immutable, and always complete and consistent.
///
/// The merchant private key and the platform public key in a key set were checked together
/// before it was committed, and are only ever published together.
public struct KeySet: Sendable {
    public let mode: Mode
    /// The key version: 1 for the first committed set, one more for each commit after. Sent
    /// as `keyVersion` in Alipay+ signature headers.
    public let version: Int
    public let origin: KeySetOrigin
    public let merchantPrivateKey: RSAPrivateKey
    /// The platform's public key, or certificate mode's three files.
    public let platform: PlatformCredential
    /// When the merchant key pair was generated or brought in.
    public let createdAt: Date
    /// When this set was committed.
    public let committedAt: Date

    public init(
        mode: Mode,
        version: Int,
        origin: KeySetOrigin,
        merchantPrivateKey: RSAPrivateKey,
        platform: PlatformCredential,
        createdAt: Date,
        committedAt: Date
    ) {
        self.mode = mode
        self.version = version
        self.origin = origin
        self.merchantPrivateKey = merchantPrivateKey
        self.platform = platform
        self.createdAt = createdAt
        self.committedAt = committedAt
    }

    /// The merchant public key: derived from the private key, so it always matches.
    public var merchantPublicKey: RSAPublicKey { merchantPrivateKey.publicKey }

    /// The key that verifies the platform's responses (certificate mode: the newest Alipay
    /// certificate's).
    public var platformPublicKey: RSAPublicKey { platform.publicKey }

    public var signingMethod: SigningMethod { platform.signingMethod }
    public var certificates: PlatformCertificates? { platform.certificates }

    /// The same set with `platform` in place of its platform credential (an Alipay
    /// certificate renewal: the merchant keys and the version stay).
    func replacingPlatform(_ platform: PlatformCredential) -> KeySet {
        KeySet(
            mode: mode, version: version, origin: origin, merchantPrivateKey: merchantPrivateKey, platform: platform, createdAt: createdAt,
            committedAt: committedAt)
    }

    /// What may be said about this set anywhere: versions, fingerprints, times.
    public var summary: KeySetSummary {
        KeySetSummary(
            version: version,
            origin: origin,
            merchantKeyFingerprint: merchantPublicKey.fingerprint,
            platformKeyFingerprint: platformPublicKey.fingerprint,
            createdAt: createdAt,
            committedAt: committedAt
        )
    }
}

/// A key set without key material, for history, status and audit.
public struct KeySetSummary: Sendable, Codable, Equatable {
    public let version: Int
    public let origin: KeySetOrigin
    public let merchantKeyFingerprint: KeyFingerprint
    public let platformKeyFingerprint: KeyFingerprint
    public let createdAt: Date
    public let committedAt: Date

    init(
        version: Int, origin: KeySetOrigin, merchantKeyFingerprint: KeyFingerprint, platformKeyFingerprint: KeyFingerprint, createdAt: Date,
        committedAt: Date
    ) {
        self.version = version
        self.origin = origin
        self.merchantKeyFingerprint = merchantKeyFingerprint
        self.platformKeyFingerprint = platformKeyFingerprint
        self.createdAt = createdAt
        self.committedAt = committedAt
    }

    // Stored in the vault's history: the origin in the vault's own, stable words.
    enum CodingKeys: String, CodingKey { case version, origin, merchantKeyFingerprint, platformKeyFingerprint, createdAt, committedAt }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(Int.self, forKey: .version)
        origin = try container.decode(StoredOrigin.self, forKey: .origin).origin
        merchantKeyFingerprint = try container.decode(KeyFingerprint.self, forKey: .merchantKeyFingerprint)
        platformKeyFingerprint = try container.decode(KeyFingerprint.self, forKey: .platformKeyFingerprint)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        committedAt = try container.decode(Date.self, forKey: .committedAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(StoredOrigin(origin), forKey: .origin)
        try container.encode(merchantKeyFingerprint, forKey: .merchantKeyFingerprint)
        try container.encode(platformKeyFingerprint, forKey: .platformKeyFingerprint)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(committedAt, forKey: .committedAt)
    }
}

/// The key set that was current before the last commit, kept for the grace window.
public struct PreviousKeySet: Sendable {
    public let keySet: KeySet
    /// Until when it may be rolled back to and served as `previous`.
    public let graceEndsAt: Date
    /// The identity served with it, which a rollback restores (nil: vaults of format 1).
    public let account: MerchantAccount?

    public init(keySet: KeySet, graceEndsAt: Date, account: MerchantAccount? = nil) {
        self.keySet = keySet
        self.graceEndsAt = graceEndsAt
        self.account = account
    }

    /// Whether the grace window is still open at `now`.
    public func isWithinGrace(at now: Date) -> Bool { now < graceEndsAt }
}
