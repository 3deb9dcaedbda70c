public import Foundation
public import KeywardCrypto

/// One certificate file of certificate mode: its certificate (the leaf) first, then any
/// issuing certificate that came in the same file. Public data.
public struct CertificateFile: Sendable {
    /// Leaf first.
    public let certificates: [X509Certificate]

    /// Orders `certificates` leaf first: the leaf is the one that issued none of the others.
    public init(_ certificates: [X509Certificate]) {
        precondition(!certificates.isEmpty, "a certificate file holds at least one certificate")
        let leafIndex =
            certificates.indices.first { index in
                !certificates.indices.contains { $0 != index && certificates[$0].issuer == certificates[index].subject }
            } ?? 0
        var ordered = certificates
        ordered.swapAt(0, leafIndex)
        self.certificates = ordered
    }

    public var leaf: X509Certificate { certificates[0] }
    public var intermediates: [X509Certificate] { Array(certificates.dropFirst()) }
    /// The leaf's SN as Alipay computes it (`app_cert_sn`, `alipay_cert_sn`).
    public var sn: String { leaf.alipaySN }
    public var notAfter: Date { leaf.notAfter }
    /// The file as PEM, leaf first, one blank line between certificates (as the SDKs split).
    public var pem: String { CertificateFile.pem(certificates) }

    static func pem(_ certificates: [X509Certificate]) -> String {
        certificates.map(\.pem).joined(separator: "\n")
    }
}

/// The three files of certificate mode, as one unit of a key set: the app public key
/// certificate (over the merchant public key), the Alipay public key certificates in use
/// (oldest first; Alipay renews its own from time to time) and the Alipay root certificate
/// file. Checked for shape when built; chain and validity are checked against a time by
/// `KeySetChecks` (commit) and by renewal.
public struct PlatformCertificates: Sendable {
    public let app: CertificateFile
    /// At least one; the newest last. Each is served by its SN.
    public let alipay: [CertificateFile]
    /// Every certificate of the root file, in file order (some are not RSA).
    public let root: [X509Certificate]
    /// `alipay_root_cert_sn`: the SNs of the root file's RSA certificates, joined with `_`.
    public let alipayRootCertSN: String

    public init(app: [X509Certificate], alipay: [[X509Certificate]], root: [X509Certificate]) throws {
        guard !app.isEmpty, !root.isEmpty, !alipay.isEmpty, alipay.allSatisfy({ !$0.isEmpty }) else {
            throw CertificateError(
                code: .untrusted, message: "certificate mode needs the app certificate, the Alipay certificate and the root certificate",
                hint: "give all three files the dashboard downloaded")
        }
        self.app = CertificateFile(app)
        self.alipay = alipay.map(CertificateFile.init)
        self.root = root
        for (file, name) in [(self.app, "the app certificate")] + self.alipay.map({ ($0, "the Alipay certificate") }) {
            guard file.leaf.rsaPublicKey != nil else {
                throw CertificateError(
                    code: .notRSA, message: "\(name) (\(file.leaf.subject)) is not over an RSA key of 2048 bits or more",
                    hint: "Alipay's RSA2 signing uses RSA keys; give the certificate the dashboard issued for RSA2")
            }
        }
        do {
            alipayRootCertSN = try X509Certificate.alipayRootSN(root)
        } catch {
            throw CertificateError(
                code: .rootNoRSA,
                message: "the root certificate file has no certificate signed with sha1WithRSAEncryption or sha256WithRSAEncryption",
                hint: "give alipayRootCert.crt as the dashboard downloaded it (several certificates in one file)")
        }
    }

    private init(app: CertificateFile, alipay: [CertificateFile], root: [X509Certificate], rootSN: String) {
        self.app = app
        self.alipay = alipay
        self.root = root
        self.alipayRootCertSN = rootSN
    }

    /// The Alipay certificate responses are signed with now: the newest.
    public var newestAlipay: CertificateFile { alipay[alipay.count - 1] }
    public var appCertSN: String { app.sn }
    public var alipayCertSN: String { newestAlipay.sn }
    /// The platform public key: the newest Alipay certificate's.
    public var platformPublicKey: RSAPublicKey {
        // Checked in init and in `adding`.
        newestAlipay.leaf.rsaPublicKey!
    }
    /// The root file as PEM, one blank line between certificates (python-alipay-sdk splits
    /// the root file on blank lines).
    public var rootPEM: String { CertificateFile.pem(root) }

    /// The Alipay certificate with `sn`, if it is one in use.
    public func alipayCertificate(sn: String) -> CertificateFile? { alipay.first { $0.sn == sn } }

    /// The set with `file` as the newest Alipay certificate; those expired at `now` go, and at
    /// most `limit` are kept.
    func adding(_ file: CertificateFile, at now: Date, limit: Int = 4) -> PlatformCertificates {
        let kept = alipay.filter { $0.notAfter > now }.suffix(limit - 1)
        return PlatformCertificates(app: app, alipay: Array(kept) + [file], root: root, rootSN: alipayRootCertSN)
    }
}

/// What verifies the platform's signatures in a key set: a bare public key, or certificate
/// mode's three files.
public enum PlatformCredential: Sendable {
    case publicKey(RSAPublicKey)
    case certificates(PlatformCertificates)

    /// The key responses are verified with (certificate mode: the newest Alipay certificate's).
    public var publicKey: RSAPublicKey {
        switch self {
        case .publicKey(let key): key
        case .certificates(let certificates): certificates.platformPublicKey
        }
    }

    public var signingMethod: SigningMethod {
        switch self {
        case .publicKey: .publicKey
        case .certificates: .certificate
        }
    }

    public var certificates: PlatformCertificates? {
        if case .certificates(let certificates) = self { return certificates }
        return nil
    }
}
