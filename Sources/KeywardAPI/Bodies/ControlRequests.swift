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
    public static let oneClick = RotationKind(rawValue: "one-click")
    /// The operator brings a pair made with an offline tool.
    public static let ownKeys = RotationKind(rawValue: "own-keys")
    /// The dashboard generated the pair: its private key and the platform key, ready to commit.
    public static let importKeys = RotationKind(rawValue: "import")

    public var description: String { rawValue }
}

/// `POST /v1/modes/{mode}/rotation`.
public struct RotationRequest: Codable, Sendable, Equatable {
    public let kind: RotationKind
    /// one-click: 2048 (default), 3072 or 4096.
    public let bits: Int?
    /// own-keys and import: the merchant private key (PEM or bare base64).
    public let privateKey: String?
    /// own-keys, optional: the public key, which must match.
    public let publicKey: String?
    /// import: the platform public key the dashboard showed.
    public let platformKey: String?

    public init(kind: RotationKind, bits: Int? = nil, privateKey: String? = nil, publicKey: String? = nil, platformKey: String? = nil) {
        self.kind = kind
        self.bits = bits
        self.privateKey = privateKey
        self.publicKey = publicKey
        self.platformKey = platformKey
    }

    public static func oneClick(bits: Int? = nil) -> RotationRequest { RotationRequest(kind: .oneClick, bits: bits) }

    public static func ownKeys(privateKey: String, publicKey: String? = nil) -> RotationRequest {
        RotationRequest(kind: .ownKeys, privateKey: privateKey, publicKey: publicKey)
    }

    public static func importKeys(privateKey: String, platformKey: String) -> RotationRequest {
        RotationRequest(kind: .importKeys, privateKey: privateKey, platformKey: platformKey)
    }
}

/// `POST /v1/modes/{mode}/rotation/platform-key`.
public struct PlatformKeyRequest: Codable, Sendable, Equatable {
    public let platformKey: String

    public init(platformKey: String) { self.platformKey = platformKey }
}
