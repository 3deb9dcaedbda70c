import Foundation
import KeywardCrypto

// The JSON part of the vault body: everything but secrets. Private keys and API keys are
// stored in the body's secrets section and referenced here by index, so no secret passes
// through Foundation's JSON buffers. Fingerprints are stored beside each key and checked on
// load, as a second line of defence behind the AEAD tag.

struct VaultDocument: Codable {
    var test: ModeDocument
    var live: ModeDocument
    var lastAuditEntry: String?
}

struct ModeDocument: Codable {
    var account: AccountDocument?
    /// Format 2: an identity change waiting for the pending rotation's commit.
    var stagedAccount: AccountDocument?
    var active: Bool
    var current: KeySetDocument?
    var previous: PreviousDocument?
    var pending: PendingDocument?
    var history: [KeySetSummary]
    var lastVersion: Int
    var revision: Int
    /// Format 3: a second operator's approval of export_private_key.
    var exportApproval: ExportApproval?
}

struct AccountDocument: Codable {
    // Format 1 always has the PID and the App ID; format 2 may have a Client-ID instead.
    var pid: PID?
    var appID: AppID?
    var clientID: ClientID?
    var gatewayDomain: GatewayDomain?
    var platformKeyVersion: PlatformKeyVersion?
    var accountEmail: AccountEmail?
    var apiKeySecret: Int?
}

struct KeySetDocument: Codable {
    var version: Int
    var origin: StoredOrigin
    var merchantPrivateKeySecret: Int
    var merchantKeyFingerprint: KeyFingerprint
    var platformPublicKey: String
    var platformKeyFingerprint: KeyFingerprint
    /// Format 3: certificate mode's files (the platform key is then the newest Alipay
    /// certificate's). Absent: public key mode.
    var certificates: CertificatesDocument?
    var createdAt: Date
    var committedAt: Date
}

/// Certificate mode's three files, each certificate as base64 DER (public data).
struct CertificatesDocument: Codable {
    var app: [String]
    /// Oldest first.
    var alipay: [[String]]
    var root: [String]
}

struct PreviousDocument: Codable {
    var keySet: KeySetDocument
    var graceEndsAt: Date
    /// Format 2: the identity served with that set, restored by a rollback.
    var account: AccountDocument?
}

struct PendingDocument: Codable {
    enum State: String, Codable {
        case awaitingPlatformKey = "awaiting-platform-key"
        case ready
    }

    var state: State
    var origin: StoredOrigin
    var merchantPrivateKeySecret: Int
    var merchantKeyFingerprint: KeyFingerprint
    var platformPublicKey: String?
    /// Format 3: a ready rotation in certificate mode.
    var certificates: CertificatesDocument?
    var startedAt: Date
    var expiresAt: Date
}
