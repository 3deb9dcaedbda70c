public import KeywardAPI

/// The codes of `StoreError`: A vault store shared by a fleet (docs/api.md).
/// Each carries the HTTP status the socket API answers it with; docs list every one
/// (`ErrorCatalogTests` holds code and docs together).
public enum StoreErrorCode: String, ErrorCode, CaseIterable {
    case authFailed = "store.auth-failed"
    case badUrl = "store.bad-url"
    case conflict = "store.conflict"
    case failed = "store.failed"
    case notEmpty = "store.not-empty"
    case notPostgres = "store.not-postgres"
    case passwordMissing = "store.password-missing"
    case passwordUnreadable = "store.password-unreadable"
    case schemaMissing = "store.schema-missing"
    case schemaNewer = "store.schema-newer"
    case tlsSetup = "store.tls-setup"
    case tlsVerifyFailed = "store.tls-verify-failed"
    case unreachable = "store.unreachable"

    public var status: Int {
        switch self {
        case .conflict: 409
        default: 503
        }
    }
}
