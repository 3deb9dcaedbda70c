public import KeywardAPI

/// The codes of `AuditError`: The audit log (docs/api.md).
/// Each carries the HTTP status the socket API answers it with; docs list every one
/// (`ErrorCatalogTests` holds code and docs together).
public enum AuditErrorCode: String, ErrorCode, CaseIterable {
    case chainBroken = "audit.chain-broken"
    case diverged = "audit.diverged"
    case writeFailed = "audit.write-failed"

    public var status: Int {
        switch self {
        case .writeFailed: 503
        default: 500
        }
    }
}
