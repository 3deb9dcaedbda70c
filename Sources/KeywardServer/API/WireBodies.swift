import Foundation
import KeywardAPI
import KeywardCore
import KeywardCrypto

// The domain's values as the wire model (KeywardAPI) shows them: no key material beyond
// what each answer is for.

extension PublicKeyForms {
    init(_ key: RSAPublicKey) {
        self.init(spkiPem: key.pem, spkiBare: key.bareBase64, fingerprint: key.fingerprint.hex, bits: key.bits)
    }
}

extension PrivateKeyForms {
    init(_ key: RSAPrivateKey) throws {
        func text(_ format: PrivateKeyFormat) throws -> String {
            try key.exported(as: format).withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        }
        self.init(
            pkcs1Pem: try text(PrivateKeyFormat(.pkcs1, .pem)), pkcs1Bare: try text(PrivateKeyFormat(.pkcs1, .bare)),
            pkcs8Pem: try text(PrivateKeyFormat(.pkcs8, .pem)), pkcs8Bare: try text(PrivateKeyFormat(.pkcs8, .bare)))
    }
}

extension KeySetInfo {
    init(_ keySet: KeySet) {
        let summary = keySet.summary
        self.init(
            version: summary.version, origin: summary.origin, merchantKeyFingerprint: summary.merchantKeyFingerprint.hex,
            platformKeyFingerprint: summary.platformKeyFingerprint.hex, createdAt: summary.createdAt,
            committedAt: summary.committedAt, signingMethod: keySet.signingMethod,
            certificates: keySet.certificates.map(CertificateInfo.all))
    }
}

extension CertificateInfo {
    init(_ name: String, _ certificate: X509Certificate) {
        self.init(
            certificate: name, sn: certificate.alipaySN, subject: certificate.subject, notBefore: certificate.notBefore,
            notAfter: certificate.notAfter)
    }

    /// The app certificate, each Alipay certificate in use, and the root file's RSA ones.
    static func all(_ certificates: PlatformCertificates) -> [CertificateInfo] {
        [CertificateInfo("app", certificates.app.leaf)] + certificates.alipay.map { CertificateInfo("alipay", $0.leaf) }
            + certificates.root.filter(\.countsForAlipayRootSN).map { CertificateInfo("root", $0) }
    }
}

extension CertificateSetForms {
    init(_ certificates: PlatformCertificates) {
        func forms(_ file: CertificateFile) -> CertificateForms { CertificateForms(pem: file.pem, sn: file.sn, notAfter: file.notAfter) }
        let rootExpiry = certificates.root.filter(\.countsForAlipayRootSN).map(\.notAfter).min() ?? .distantPast
        self.init(
            appCertSN: certificates.appCertSN, alipayRootCertSN: certificates.alipayRootCertSN, alipayCertSN: certificates.alipayCertSN,
            appCertificate: forms(certificates.app), alipayCertificate: forms(certificates.newestAlipay),
            alipayCertificates: certificates.alipay.map(forms),
            alipayRootCertificate: CertificateForms(pem: certificates.rootPEM, sn: certificates.alipayRootCertSN, notAfter: rootExpiry))
    }
}

extension ModeStatus {
    init(mode: Mode, state: ModeState, now: Date, action: String?, policy: LifecyclePolicy, note: String? = nil) {
        self.init(
            mode: mode,
            action: action,
            active: state.isActive,
            served: state.isActive && state.current != nil,
            revision: state.revision,
            account: state.account.map(Account.init),
            stagedAccount: state.stagedAccount.map(Account.init),
            current: state.current.map(KeySetInfo.init),
            previous: state.previous.map {
                PreviousSet(version: $0.keySet.version, graceEndsAt: $0.graceEndsAt, inGraceWindow: $0.isWithinGrace(at: now))
            },
            pending: state.pending.map { PendingRotationStatus(mode: mode, pending: $0, now: now) },
            history: state.history.count,
            lifecycle: ModeLifecycle(items: LifecycleReport.items(state, mode: mode, policy: policy, at: now)),
            note: note
        )
    }
}

extension ApprovalStatus {
    init(_ request: ApprovalBook.Request) {
        self.init(
            id: request.id, mode: request.mode, action: request.action, requestedByUID: request.requestedBy.uid,
            requestedBy: request.requestedBy.actor, requestedAt: request.requestedAt, expiresAt: request.expiresAt)
    }
}

extension ModeStatus.Account {
    init(_ account: MerchantAccount) {
        self.init(
            pid: account.pid?.value, appID: account.appID?.value, clientID: account.clientID?.value,
            gatewayDomain: account.gatewayDomain?.value, platformKeyVersion: account.platformKeyVersion?.value,
            accountEmail: account.accountEmail?.value, hasAPIKey: account.apiKey != nil)
    }
}

extension PendingRotationStatus {
    init(mode: Mode, pending: PendingRotation, now: Date) {
        self.init(
            mode: mode,
            state: pending.state(at: now),
            origin: pending.origin,
            merchantKeyFingerprint: pending.merchantPrivateKey.publicKey.fingerprint.hex,
            merchantPublicKeyToUpload: pending.merchantPrivateKey.publicKey.bareBase64,
            platformKeyFingerprint: pending.platformPublicKey?.fingerprint.hex,
            signingMethod: pending.platform?.signingMethod,
            startedAt: pending.startedAt,
            expiresAt: pending.expiresAt
        )
    }
}
