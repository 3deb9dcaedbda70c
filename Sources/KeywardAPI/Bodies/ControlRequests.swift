/// `PUT /v1/modes/{mode}/account`: edits the mode's merchant identity. Fields given replace
/// theirs, fields named in `clear` are removed, every other field is kept.
public struct SetUpRequest: Codable, Sendable, Equatable {
    public let pid: String?
    public let appID: String?
    /// Alipay+ / Antom.
    public let clientID: String?
    public let gatewayDomain: String?
    /// The `keyVersion` the `Signature` header carries (left out when none is set).
    public let platformKeyVersion: String?
    public let accountEmail: String?
    public let apiKey: String?
    /// Fields to remove: `open-platform`, `alipay-plus`, `gateway-domain`, `key-version`, `email`, `api-key`.
    public let clear: [String]?

    public init(
        pid: String? = nil, appID: String? = nil, clientID: String? = nil, gatewayDomain: String? = nil, platformKeyVersion: String? = nil,
        accountEmail: String? = nil, apiKey: String? = nil, clear: [String]? = nil
    ) {
        self.pid = pid
        self.appID = appID
        self.clientID = clientID
        self.gatewayDomain = gatewayDomain
        self.platformKeyVersion = platformKeyVersion
        self.accountEmail = accountEmail
        self.apiKey = apiKey
        self.clear = clear
    }
}

/// How a rotation begins. An open set on the wire: the daemon answers `request.bad-kind`
/// for a kind it does not know, not a decoding error.
public struct RotationKind: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// Keyward generates the pair; the operator uploads its public key.
    public static let generate = RotationKind(rawValue: "generate")
    /// The operator brings a pair made with an offline tool.
    public static let ownKeys = RotationKind(rawValue: "own-keys")
    /// The dashboard's one-click replacement: the private key it showed once and the platform
    /// key it returned, ready to commit.
    public static let oneClick = RotationKind(rawValue: "one-click")
    /// What 0.1.0 called the dashboard's one-click replacement; still accepted.
    public static let legacyImport = RotationKind(rawValue: "import")

    public var description: String { rawValue }
}

/// `POST /v1/modes/{mode}/rotation`.
public struct RotationRequest: Codable, Sendable, Equatable {
    public let kind: RotationKind
    /// generate: 2048 (default), 3072 or 4096.
    public let bits: Int?
    /// own-keys and one-click: the merchant private key (PEM or bare base64).
    public let privateKey: String?
    /// own-keys, optional: the public key, which must match.
    public let publicKey: String?
    /// one-click: the platform public key the dashboard returned.
    public let platformKey: String?
    /// one-click in certificate mode: the three certificate files, in place of `platformKey`.
    public let certificates: CertificateFiles?

    public init(
        kind: RotationKind, bits: Int? = nil, privateKey: String? = nil, publicKey: String? = nil, platformKey: String? = nil,
        certificates: CertificateFiles? = nil
    ) {
        self.kind = kind
        self.bits = bits
        self.privateKey = privateKey
        self.publicKey = publicKey
        self.platformKey = platformKey
        self.certificates = certificates
    }

    public static func generate(bits: Int? = nil) -> RotationRequest { RotationRequest(kind: .generate, bits: bits) }

    public static func ownKeys(privateKey: String, publicKey: String? = nil) -> RotationRequest {
        RotationRequest(kind: .ownKeys, privateKey: privateKey, publicKey: publicKey)
    }

    public static func oneClick(privateKey: String, platformKey: String) -> RotationRequest {
        RotationRequest(kind: .oneClick, privateKey: privateKey, platformKey: platformKey)
    }
}

/// `POST /v1/modes/{mode}/rollback`, optional: the version the operator means to go back to.
/// With it, the rollback happens only if that is the previous set (so a second rollback never
/// silently goes forward again).
public struct RollbackRequest: Codable, Sendable, Equatable {
    public let toVersion: Int?

    public init(toVersion: Int?) { self.toVersion = toVersion }
}

/// `POST /v1/modes/{mode}/rotation/platform-key`: the platform public key, or (certificate
/// mode) the three certificate files; exactly one of the two.
public struct PlatformKeyRequest: Codable, Sendable, Equatable {
    public let platformKey: String?
    public let certificates: CertificateFiles?

    public init(platformKey: String) {
        self.platformKey = platformKey
        self.certificates = nil
    }

    public init(certificates: CertificateFiles) {
        self.platformKey = nil
        self.certificates = certificates
    }
}
