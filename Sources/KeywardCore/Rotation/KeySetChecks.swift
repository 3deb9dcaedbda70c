import Foundation
import KeywardCrypto

/// The checks a rotation passes before it may be committed, each with its own error.
enum KeySetChecks {
    /// A fixed probe message: signing it with the new private key and verifying with its
    /// public key proves the pair works end to end in this OpenSSL.
    private static let probe = Array("keyward sign/verify probe: RSA2 SHA256withRSA".utf8)

    static func merchantPair(_ privateKey: RSAPrivateKey, declaredPublicKey: RSAPublicKey?) throws {
        if let declaredPublicKey, !privateKey.matches(declaredPublicKey) {
            throw CredentialError(
                code: .merchantKeyMismatch,
                message:
                    "the merchant public key (\(declaredPublicKey.fingerprint)) does not belong to the merchant private key (public half \(privateKey.publicKey.fingerprint))",
                hint: "give the public key that was generated together with this private key, or leave it out: Keyward derives it"
            )
        }
        let signature = try probe.withUnsafeBytes { try privateKey.signature(for: $0) }
        guard probe.withUnsafeBytes({ privateKey.publicKey.isValidSignature(signature, for: $0) }) else {
            throw CredentialError(
                code: .probeFailed,
                message: "a signature made with the new merchant private key does not verify with its public key",
                hint: "the key is unusable; generate or export it again"
            )
        }
    }

    static func platformKey(_ platformKey: RSAPublicKey, merchantKey: RSAPrivateKey) throws {
        guard platformKey.fingerprint != merchantKey.publicKey.fingerprint else {
            throw CredentialError(
                code: .platformKeyIsMerchantKey,
                message: "the platform public key is the merchant public key itself",
                hint: "paste the Alipay public key (支付宝公钥) that the dashboard shows after the upload, not your own public key"
            )
        }
    }

    static func notUsedByOtherMode(_ keys: [RSAPublicKey], mode: Mode, in contents: VaultContents) throws {
        let taken = contents.fingerprintsInUse(by: mode.other)
        for key in keys where taken.contains(key.fingerprint) {
            throw CredentialError(
                code: .keyUsedByOtherMode,
                message: "the key \(key.fingerprint) is already used by \(mode.other) mode",
                hint: "test mode and live mode must use different keys; generate a new pair for \(mode) mode"
            )
        }
    }

    static func differsFromCurrent(_ privateKey: RSAPrivateKey, state: ModeState, mode: Mode) throws {
        if let current = state.current, current.merchantPublicKey.fingerprint == privateKey.publicKey.fingerprint {
            throw RotationError(
                code: .sameKey,
                message: "the new merchant key is the key \(mode) mode already uses (v\(current.version))",
                hint: "a rotation needs a new key pair"
            )
        }
    }

    /// The platform side of a set, at `now`: in certificate mode, the app certificate is over
    /// the merchant public key, and it and the Alipay certificate chain to the root file (the
    /// only trust anchors) and are valid now.
    static func platform(_ platform: PlatformCredential, merchantKey: RSAPrivateKey, at now: Date) throws {
        try platformKey(platform.publicKey, merchantKey: merchantKey)
        guard case .certificates(let certificates) = platform else { return }
        guard certificates.app.leaf.certifies(merchantKey.publicKey) else {
            throw CertificateError(
                code: .appKeyMismatch,
                message:
                    "the app certificate (\(certificates.app.leaf.subject), SN \(certificates.appCertSN)) is over the key \(certificates.app.leaf.rsaPublicKey?.fingerprint.hex ?? "?"), not over the new merchant public key \(merchantKey.publicKey.fingerprint)",
                hint:
                    "give the appCertPublicKey_<APPID>.crt the dashboard issued for this rotation's CSR (keywardctl key cert-info FILE --private-key … shows what a certificate is over)"
            )
        }
        // Each file's issuing certificates help the other chain (Alipay issues both from one CA,
        // and a DER download holds the leaf alone).
        let helpers = certificates.app.intermediates + certificates.alipay.flatMap(\.intermediates)
        try chain(certificates.app, named: "the app certificate", to: certificates.root, helpers: helpers, at: now)
        try chain(certificates.newestAlipay, named: "the Alipay certificate", to: certificates.root, helpers: helpers, at: now)
    }

    /// `file`'s leaf chains to `root` and every certificate on the way is valid at `now`.
    /// `helpers` are more untrusted intermediates (a renewal may come without its issuing CA,
    /// which the stored files carry).
    static func chain(
        _ file: CertificateFile, named name: String, to root: [X509Certificate], helpers: [X509Certificate] = [], at now: Date
    ) throws {
        guard
            let failure = CertificateChainCheck.check(file.leaf, intermediates: file.intermediates + helpers, anchors: root, at: now)
        else {
            return
        }
        let what = "\(name) (\(file.leaf.subject), SN \(file.sn))"
        switch failure {
        case .expired:
            throw CertificateError(
                code: .expired, message: "\(what): \(failure)",
                hint: "download the current certificates from the dashboard (or renew them there) and give them again")
        case .notYetValid:
            throw CertificateError(
                code: .notYetValid, message: "\(what): \(failure)",
                hint: "check this host's clock (timedatectl); a certificate issued in the future is not usable yet")
        case .untrusted:
            throw CertificateError(
                code: .untrusted, message: "\(what): \(failure)",
                hint:
                    "give the alipayRootCert.crt downloaded with it, and the certificate of this mode (sandbox and production have their own)"
            )
        }
    }
}
