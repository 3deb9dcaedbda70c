public import Foundation

/// Certificate mode's three files as the dashboard downloads them (PEM text; keywardctl turns
/// DER files into PEM before sending).
public struct CertificateFiles: Codable, Sendable, Equatable {
    /// `appCertPublicKey_<APPID>.crt`: the app public key certificate.
    public let appCertificate: String
    /// `alipayCertPublicKey_RSA2.crt`: the Alipay public key certificate.
    public let alipayCertificate: String
    /// `alipayRootCert.crt`: the Alipay root certificate file (several certificates).
    public let alipayRootCertificate: String

    public init(appCertificate: String, alipayCertificate: String, alipayRootCertificate: String) {
        self.appCertificate = appCertificate
        self.alipayCertificate = alipayCertificate
        self.alipayRootCertificate = alipayRootCertificate
    }
}

/// `POST /v1/modes/{mode}/rotation/csr`: a CSR over the pending rotation's merchant key (the
/// key never leaves Keyward), with the subject the dashboard expects.
public struct CSRRequest: Codable, Sendable, Equatable {
    public let commonName: String
    public let organization: String?
    public let organizationalUnit: String?
    public let country: String?
    public let state: String?
    public let locality: String?

    public init(
        commonName: String, organization: String? = nil, organizationalUnit: String? = nil, country: String? = nil, state: String? = nil,
        locality: String? = nil
    ) {
        self.commonName = commonName
        self.organization = organization
        self.organizationalUnit = organizationalUnit
        self.country = country
        self.state = state
        self.locality = locality
    }
}

/// The CSR to upload on the dashboard (开发设置 > 接口加签方式 > 公钥证书).
public struct CSRAnswer: Codable, Sendable, Equatable {
    public let mode: Mode
    public let csrPem: String
    public let merchantKeyFingerprint: String
    public let next: String

    public init(mode: Mode, csrPem: String, merchantKeyFingerprint: String) {
        self.mode = mode
        self.csrPem = csrPem
        self.merchantKeyFingerprint = merchantKeyFingerprint
        self.next =
            "upload the CSR on the dashboard, download the three certificate files, then: keywardctl platform-key \(mode) --app-cert appCertPublicKey_<APPID>.crt --alipay-cert alipayCertPublicKey_RSA2.crt --root-cert alipayRootCert.crt"
    }
}

/// `POST /v1/modes/{mode}/alipay-certificates`: a renewed Alipay public key certificate.
public struct AlipayCertificateRequest: Codable, Sendable, Equatable {
    public let alipayCertificate: String

    public init(alipayCertificate: String) { self.alipayCertificate = alipayCertificate }
}

/// One certificate of a certificate-mode set, as status shows it (no PEM).
public struct CertificateInfo: Codable, Sendable, Equatable {
    /// `app`, `alipay` or `root`.
    public let certificate: String
    public let sn: String
    public let subject: String
    public let notBefore: Date
    public let notAfter: Date

    public init(certificate: String, sn: String, subject: String, notBefore: Date, notAfter: Date) {
        self.certificate = certificate
        self.sn = sn
        self.subject = subject
        self.notBefore = notBefore
        self.notAfter = notAfter
    }
}

/// One certificate as the key-set document serves it.
public struct CertificateForms: Codable, Sendable, Equatable {
    /// The file: the certificate first, then any issuing certificate that came with it.
    public let pem: String
    public let sn: String
    public let notAfter: Date

    public init(pem: String, sn: String, notAfter: Date) {
        self.pem = pem
        self.sn = sn
        self.notAfter = notAfter
    }
}

/// Certificate mode in the key-set document: what a certificate-mode SDK is configured with.
/// python-alipay-sdk's DCAliPay takes `appCertificate.pem`, `alipayCertificate.pem` and
/// `alipayRootCertificate.pem` as they are; requests carry `appCertSN` and `alipayRootCertSN`.
public struct CertificateSetForms: Codable, Sendable, Equatable {
    public let appCertSN: String
    public let alipayRootCertSN: String
    /// The newest Alipay certificate's SN (what responses are signed with after a renewal).
    public let alipayCertSN: String
    public let appCertificate: CertificateForms
    /// The newest Alipay certificate.
    public let alipayCertificate: CertificateForms
    /// Every Alipay certificate in use, oldest first (after a renewal, the old one stays
    /// until it expires): an SDK that sees an unknown `alipay_cert_sn` finds it here.
    public let alipayCertificates: [CertificateForms]
    /// The root file (one blank line between certificates); `notAfter` is the earliest of its
    /// RSA certificates'.
    public let alipayRootCertificate: CertificateForms

    public init(
        appCertSN: String, alipayRootCertSN: String, alipayCertSN: String, appCertificate: CertificateForms,
        alipayCertificate: CertificateForms, alipayCertificates: [CertificateForms], alipayRootCertificate: CertificateForms
    ) {
        self.appCertSN = appCertSN
        self.alipayRootCertSN = alipayRootCertSN
        self.alipayCertSN = alipayCertSN
        self.appCertificate = appCertificate
        self.alipayCertificate = alipayCertificate
        self.alipayCertificates = alipayCertificates
        self.alipayRootCertificate = alipayRootCertificate
    }
}
