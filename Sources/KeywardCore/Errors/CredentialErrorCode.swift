public import KeywardAPI

/// The codes of `CredentialError`: Merchant credentials and key-set rules of the seed documents (docs/rotation.md).
/// Each carries the HTTP status the socket API answers it with; docs list every one
/// (`ErrorCatalogTests` holds code and docs together).
public enum CredentialErrorCode: String, ErrorCode, CaseIterable {
    case alipayPlusIncomplete = "credentials.alipay-plus-incomplete"
    case apiKeyInvalid = "credentials.api-key-invalid"
    case appIdEqualsPid = "credentials.app-id-equals-pid"
    case appIdInvalid = "credentials.app-id-invalid"
    case clientIdInvalid = "credentials.client-id-invalid"
    case emailInvalid = "credentials.email-invalid"
    case gatewayDomainInvalid = "credentials.gateway-domain-invalid"
    case identityChangeNeedsRotation = "credentials.identity-change-needs-rotation"
    case identityShared = "credentials.identity-shared"
    case keyUsedByOtherMode = "credentials.key-used-by-other-mode"
    case keyVersionInvalid = "credentials.key-version-invalid"
    case merchantKeyMismatch = "credentials.merchant-key-mismatch"
    case noIdentity = "credentials.no-identity"
    case notificationMalformed = "credentials.notification-malformed"
    case notificationUnsigned = "credentials.notification-unsigned"
    case openPlatformIncomplete = "credentials.open-platform-incomplete"
    case pidInvalid = "credentials.pid-invalid"
    case platformKeyIsMerchantKey = "credentials.platform-key-is-merchant-key"
    case probeFailed = "credentials.probe-failed"
    case sandboxClientInLive = "credentials.sandbox-client-in-live"

    public var status: Int {
        switch self {
        case .identityChangeNeedsRotation: 409
        default: 422
        }
    }
}
