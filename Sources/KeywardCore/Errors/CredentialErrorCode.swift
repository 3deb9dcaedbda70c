public import KeywardAPI

/// The codes of `CredentialError`: Merchant credentials and key-set rules of the seed documents (docs/rotation.md).
/// Each carries the HTTP status the socket API answers it with; docs list every one
/// (`ErrorCatalogTests` holds code and docs together).
public enum CredentialErrorCode: String, ErrorCode, CaseIterable {
    case apiKeyInvalid = "credentials.api-key-invalid"
    case appIdEqualsPid = "credentials.app-id-equals-pid"
    case appIdInvalid = "credentials.app-id-invalid"
    case emailInvalid = "credentials.email-invalid"
    case keyUsedByOtherMode = "credentials.key-used-by-other-mode"
    case merchantKeyMismatch = "credentials.merchant-key-mismatch"
    case pidInvalid = "credentials.pid-invalid"
    case platformKeyIsMerchantKey = "credentials.platform-key-is-merchant-key"
    case probeFailed = "credentials.probe-failed"

    public var status: Int {
        422
    }
}
