public import Foundation

/// `GET /v1/status`: the modes the peer has a role in, and the vault.
public struct StatusAnswer: Codable, Sendable {
    public let modes: [Mode: ModeStatus]
    public let vault: VaultStatus
    /// The line systemd shows (`systemctl status keywardd`).
    public let statusLine: String

    public init(modes: [Mode: ModeStatus], vault: VaultStatus, statusLine: String) {
        self.modes = modes
        self.vault = vault
        self.statusLine = statusLine
    }
}

public struct VaultStatus: Codable, Sendable, Equatable {
    public let location: String
    public let generation: UInt64
    public let installID: String

    public init(location: String, generation: UInt64, installID: String) {
        self.location = location
        self.generation = generation
        self.installID = installID
    }
}

/// A mode as `status` and the control routes answer it.
public struct ModeStatus: Codable, Sendable {
    public let mode: Mode
    /// The command just applied (control routes), nil in `status`.
    public let action: String?
    public let active: Bool
    public let served: Bool
    public let revision: Int
    public let account: Account?
    /// An identity change staged for the pending rotation: it goes live at the commit.
    public let stagedAccount: Account?
    public let current: KeySetInfo?
    public let previous: PreviousSet?
    public let pending: PendingRotationStatus?
    /// How many key sets the mode has had before the current one.
    public let history: Int
    /// What comes due in this mode, and when.
    public let lifecycle: ModeLifecycle
    /// What the operator must do after the action, when it is more than the state shows (an
    /// approved rekey: where the new master key is).
    public let note: String?

    public init(
        mode: Mode, action: String?, active: Bool, served: Bool, revision: Int, account: Account?, stagedAccount: Account?,
        current: KeySetInfo?,
        previous: PreviousSet?, pending: PendingRotationStatus?, history: Int, lifecycle: ModeLifecycle, note: String? = nil
    ) {
        self.mode = mode
        self.action = action
        self.active = active
        self.served = served
        self.revision = revision
        self.account = account
        self.stagedAccount = stagedAccount
        self.current = current
        self.previous = previous
        self.pending = pending
        self.history = history
        self.lifecycle = lifecycle
        self.note = note
    }

    /// A mode's identity: open platform (PID, App ID), Alipay+ (Client-ID, gateway, key
    /// version), or both; the email; whether an API key is stored (never the key).
    public struct Account: Codable, Sendable, Equatable {
        public let pid: String?
        public let appID: String?
        public let clientID: String?
        public let gatewayDomain: String?
        public let platformKeyVersion: String?
        public let accountEmail: String?
        public let hasAPIKey: Bool

        public init(
            pid: String?, appID: String?, clientID: String?, gatewayDomain: String?, platformKeyVersion: String?, accountEmail: String?,
            hasAPIKey: Bool
        ) {
            self.pid = pid
            self.appID = appID
            self.clientID = clientID
            self.gatewayDomain = gatewayDomain
            self.platformKeyVersion = platformKeyVersion
            self.accountEmail = accountEmail
            self.hasAPIKey = hasAPIKey
        }
    }

    public struct PreviousSet: Codable, Sendable, Equatable {
        public let version: Int
        public let graceEndsAt: Date
        public let inGraceWindow: Bool

        public init(version: Int, graceEndsAt: Date, inGraceWindow: Bool) {
            self.version = version
            self.graceEndsAt = graceEndsAt
            self.inGraceWindow = inGraceWindow
        }
    }
}

/// A key set without key material.
public struct KeySetInfo: Codable, Sendable, Equatable {
    public let version: Int
    public let origin: KeySetOrigin
    public let merchantKeyFingerprint: String
    public let platformKeyFingerprint: String
    public let createdAt: Date
    public let committedAt: Date
    /// Absent in answers of 0.2.0 (public key mode).
    public let signingMethod: SigningMethod?
    /// Certificate mode: the app certificate, each Alipay certificate in use, the root file's
    /// RSA certificates, with SNs and validity.
    public let certificates: [CertificateInfo]?

    public init(
        version: Int, origin: KeySetOrigin, merchantKeyFingerprint: String, platformKeyFingerprint: String, createdAt: Date,
        committedAt: Date, signingMethod: SigningMethod? = nil, certificates: [CertificateInfo]? = nil
    ) {
        self.version = version
        self.origin = origin
        self.merchantKeyFingerprint = merchantKeyFingerprint
        self.platformKeyFingerprint = platformKeyFingerprint
        self.createdAt = createdAt
        self.committedAt = committedAt
        self.signingMethod = signingMethod
        self.certificates = certificates
    }
}

/// A pending rotation, with what the operator does next.
public struct PendingRotationStatus: Codable, Sendable {
    public let mode: Mode
    public let state: RotationState
    public let origin: KeySetOrigin
    public let merchantKeyFingerprint: String
    /// The new merchant public key as the dashboards take it (bare base64 SPKI).
    public let merchantPublicKeyToUpload: String
    public let platformKeyFingerprint: String?
    /// Once the platform side is given: `public-key` or `certificate`.
    public let signingMethod: SigningMethod?
    public let startedAt: Date
    public let expiresAt: Date
    public let next: String

    public init(
        mode: Mode, state: RotationState, origin: KeySetOrigin, merchantKeyFingerprint: String, merchantPublicKeyToUpload: String,
        platformKeyFingerprint: String?, signingMethod: SigningMethod? = nil, startedAt: Date, expiresAt: Date
    ) {
        self.mode = mode
        self.state = state
        self.origin = origin
        self.merchantKeyFingerprint = merchantKeyFingerprint
        self.merchantPublicKeyToUpload = merchantPublicKeyToUpload
        self.platformKeyFingerprint = platformKeyFingerprint
        self.signingMethod = signingMethod
        self.startedAt = startedAt
        self.expiresAt = expiresAt
        switch state {
        case .expired: next = "abort it (keywardctl abort \(mode)) and begin a new rotation"
        case .ready: next = "commit it (keywardctl commit \(mode)): the new private key and platform key go live together"
        case .awaitingPlatformKey:
            next =
                "paste merchantPublicKeyToUpload into the dashboard (Alipay+: Developers > Key configuration; open platform: 应用信息 > 接口加签方式), then give Keyward the platform public key it returns: keywardctl platform-key \(mode) --platform-key FILE (certificate mode: keywardctl csr \(mode) --common-name … makes the CSR to upload; then keywardctl platform-key \(mode) --app-cert … --alipay-cert … --root-cert …)"
        }
    }
}

/// `GET /v1/audit?limit=N`.
public struct AuditAnswer: Codable, Sendable {
    public let entries: [AuditEntry]

    public init(entries: [AuditEntry]) { self.entries = entries }
}

/// `GET /v1/audit/verify`: 200 whatever it finds; `valid` says whether the log is whole.
public struct AuditVerification: Codable, Sendable, Equatable {
    public let valid: Bool
    /// The entries of the chain (absent when it breaks before its end).
    public let entries: Int?
    /// What is wrong: the first line that does not fit, or entries missing from the end.
    public let problem: String?

    public init(valid: Bool, entries: Int?, problem: String? = nil) {
        self.valid = valid
        self.entries = entries
        self.problem = problem
    }
}

/// `POST /v1/vault/rekey`.
public struct RekeyAnswer: Codable, Sendable, Equatable {
    public let newMasterKeyFile: String
    public let next: String

    public init(newMasterKeyFile: String, next: String) {
        self.newMasterKeyFile = newMasterKeyFile
        self.next = next
    }
}
