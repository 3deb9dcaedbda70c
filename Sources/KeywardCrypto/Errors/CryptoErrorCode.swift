public import KeywardAPI

/// The codes of `CryptoError`: Key material and cryptographic operations (docs/key-tool.md).
/// Each carries the HTTP status the socket API answers it with; docs list every one
/// (`ErrorCatalogTests` holds code and docs together).
public enum CryptoErrorCode: String, ErrorCode, CaseIterable {
    case aeadAuthenticationFailed = "aead.authentication-failed"
    case aeadBadKeySize = "aead.bad-key-size"
    case aeadBadNonceSize = "aead.bad-nonce-size"
    case certificateUnreadable = "certificate.unreadable"
    case openssl = "crypto.openssl"
    case encodingBadBase64 = "encoding.bad-base64"
    case kdfBadParameters = "kdf.bad-parameters"
    case keyAmbiguous = "key.ambiguous"
    case keyBadBase64 = "key.bad-base64"
    case keyCertificate = "key.certificate"
    case keyDamaged = "key.damaged"
    case keyEmpty = "key.empty"
    case keyEncrypted = "key.encrypted"
    case keyExpectedPrivate = "key.expected-private"
    case keyExpectedPublic = "key.expected-public"
    case keyMultiPrime = "key.multi-prime"
    case keyNotRsa = "key.not-rsa"
    case keyOpenssh = "key.openssh"
    case keyPemDamaged = "key.pem-damaged"
    case keyPemTruncated = "key.pem-truncated"
    case keyTooLarge = "key.too-large"
    case keyTooSmall = "key.too-small"
    case keyUnwrapFailed = "key.unwrap-failed"
    case keyUnrecognized = "key.unrecognized"
    case signatureAlgorithmVerifyOnly = "signature.algorithm-verify-only"
    case signatureBadBase64 = "signature.bad-base64"

    public var status: Int {
        switch self {
        case .aeadAuthenticationFailed, .aeadBadKeySize, .aeadBadNonceSize, .openssl, .encodingBadBase64, .kdfBadParameters: 500
        default: 422
        }
    }
}
