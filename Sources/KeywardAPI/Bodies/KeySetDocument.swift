public import Foundation

/// The JSON body of `GET /v1/keysets/{mode}`. Every key is served in named forms so an SDK
/// can be configured with a field as it is, without editing:
/// - `merchantPrivateKey.pkcs1Pem` for python-alipay-sdk, `pkcs1Bare` for the official
///   open-platform SDK (alipay-sdk-python), `pkcs8Bare` for the Java SDKs;
/// - public keys as `spkiPem` (every Python SDK) and `spkiBare` (the dashboards, Java).
/// The private key appears only where the mode's policy allows export.
public struct KeySetDocument: Codable, Sendable {
    public let mode: Mode
    public let revision: Int
    public let version: Int
    public let keyVersion: String
    public let origin: KeySetOrigin
    public let signatureAlgorithm: String
    /// `public-key` or `certificate` (then `certificates` carries the three files and SNs).
    public let signingMethod: SigningMethod
    public let createdAt: Date
    public let committedAt: Date
    public let pid: String?
    public let appID: String?
    /// Alipay+ / Antom: the Client-ID to send, the gateway to call, and the key version the
    /// `Signature` header carries (absent: the header has no keyVersion).
    public let clientID: String?
    public let gatewayDomain: String?
    public let platformKeyVersion: String?
    public let merchantPublicKey: PublicKeyForms
    /// Certificate mode: the platform public key is the newest Alipay certificate's.
    public let platformPublicKey: PublicKeyForms
    public let certificates: CertificateSetForms?
    public let merchantPrivateKey: PrivateKeyForms?
    public let previous: PreviousKeys?

    public init(
        mode: Mode, revision: Int, version: Int, origin: KeySetOrigin, createdAt: Date, committedAt: Date, pid: String?,
        appID: String?, clientID: String?, gatewayDomain: String?, platformKeyVersion: String?, merchantPublicKey: PublicKeyForms,
        platformPublicKey: PublicKeyForms, certificates: CertificateSetForms? = nil, merchantPrivateKey: PrivateKeyForms?,
        previous: PreviousKeys?
    ) {
        self.mode = mode
        self.revision = revision
        self.version = version
        self.keyVersion = String(version)
        self.origin = origin
        self.signatureAlgorithm = "RSA2"
        self.signingMethod = certificates == nil ? .publicKey : .certificate
        self.certificates = certificates
        self.createdAt = createdAt
        self.committedAt = committedAt
        self.pid = pid
        self.appID = appID
        self.clientID = clientID
        self.gatewayDomain = gatewayDomain
        self.platformKeyVersion = platformKeyVersion
        self.merchantPublicKey = merchantPublicKey
        self.platformPublicKey = platformPublicKey
        self.merchantPrivateKey = merchantPrivateKey
        self.previous = previous
    }

    /// The set before the last commit, while its grace window lasts (public keys only).
    public struct PreviousKeys: Codable, Sendable {
        public let version: Int
        public let graceEndsAt: Date
        public let merchantPublicKey: PublicKeyForms
        public let platformPublicKey: PublicKeyForms

        public init(version: Int, graceEndsAt: Date, merchantPublicKey: PublicKeyForms, platformPublicKey: PublicKeyForms) {
            self.version = version
            self.graceEndsAt = graceEndsAt
            self.merchantPublicKey = merchantPublicKey
            self.platformPublicKey = platformPublicKey
        }
    }
}

/// A public key in the forms SDKs and dashboards take.
public struct PublicKeyForms: Codable, Sendable, Equatable {
    public let spkiPem: String
    public let spkiBare: String
    /// SHA-256 of the SubjectPublicKeyInfo DER, hex.
    public let fingerprint: String
    public let bits: Int

    public init(spkiPem: String, spkiBare: String, fingerprint: String, bits: Int) {
        self.spkiPem = spkiPem
        self.spkiBare = spkiBare
        self.fingerprint = fingerprint
        self.bits = bits
    }
}

/// The merchant private key in the forms SDKs take; only in an exporting mode's document.
public struct PrivateKeyForms: Codable, Sendable {
    public let pkcs1Pem: String
    public let pkcs1Bare: String
    public let pkcs8Pem: String
    public let pkcs8Bare: String

    public init(pkcs1Pem: String, pkcs1Bare: String, pkcs8Pem: String, pkcs8Bare: String) {
        self.pkcs1Pem = pkcs1Pem
        self.pkcs1Bare = pkcs1Bare
        self.pkcs8Pem = pkcs8Pem
        self.pkcs8Bare = pkcs8Bare
    }
}

/// `GET /v1/keysets/{mode}/previous`.
public struct PreviousKeySetAnswer: Codable, Sendable {
    public let mode: Mode
    public let version: Int
    public let keyVersion: String
    public let graceEndsAt: Date
    public let merchantPublicKey: PublicKeyForms
    public let platformPublicKey: PublicKeyForms

    public init(mode: Mode, version: Int, graceEndsAt: Date, merchantPublicKey: PublicKeyForms, platformPublicKey: PublicKeyForms) {
        self.mode = mode
        self.version = version
        self.keyVersion = String(version)
        self.graceEndsAt = graceEndsAt
        self.merchantPublicKey = merchantPublicKey
        self.platformPublicKey = platformPublicKey
    }
}

/// `GET /v1/health`: liveness and what each mode serves.
public struct HealthAnswer: Codable, Sendable, Equatable {
    /// `ok`, or why the daemon is degraded.
    public let status: String
    public let modes: [Mode: ModeHealth]
    /// What is due (a key set due for rotation, a pending rotation about to expire), most
    /// urgent first; empty when nothing is. Health stays 200 while serving.
    public let warnings: [LifecycleItem]

    public struct ModeHealth: Codable, Sendable, Equatable {
        public let served: Bool
        public let version: Int?

        public init(served: Bool, version: Int?) {
            self.served = served
            self.version = version
        }
    }

    public init(status: String, modes: [Mode: ModeHealth], warnings: [LifecycleItem]) {
        self.status = status
        self.modes = modes
        self.warnings = warnings
    }
}
