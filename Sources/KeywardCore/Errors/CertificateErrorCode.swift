public import KeywardAPI

/// The codes of `CertificateError`: certificate mode's three files, their chain and their
/// validity (docs/certificates.md, docs/rotation.md).
/// Each carries the HTTP status the socket API answers it with; docs list every one
/// (`ErrorCatalogTests` holds code and docs together).
public enum CertificateErrorCode: String, ErrorCode, CaseIterable {
    case alreadyPresent = "certificate.already-present"
    case appKeyMismatch = "certificate.app-key-mismatch"
    case expired = "certificate.expired"
    case notCertificateMode = "certificate.not-certificate-mode"
    case notRSA = "certificate.not-rsa"
    case notYetValid = "certificate.not-yet-valid"
    case rootNoRSA = "certificate.root-no-rsa"
    case untrusted = "certificate.untrusted"
    case unknownSN = "certificate.unknown-sn"

    public var status: Int {
        switch self {
        case .alreadyPresent, .notCertificateMode: 409
        default: 422
        }
    }
}
