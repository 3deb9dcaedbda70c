public import KeywardAPI

/// The codes of `APIError`: Requests, routes and roles of the socket API (docs/api.md).
/// Each carries the HTTP status the socket API answers it with; docs list every one
/// (`ErrorCatalogTests` holds code and docs together).
public enum APIErrorCode: String, ErrorCode, CaseIterable {
    case approvalExpired = "approval.expired"
    case approvalNotFound = "approval.not-found"
    case approvalSameOperator = "approval.same-operator"
    case authForbidden = "auth.forbidden"
    case identityClientIdMismatch = "identity.client-id-mismatch"
    case `internal` = "internal"
    case keysetNoPrevious = "keyset.no-previous"
    case modeNotServed = "mode.not-served"
    case modeUnknown = "mode.unknown"
    case ambiguousMessage = "request.ambiguous-message"
    case badAlgorithm = "request.bad-algorithm"
    case badBase64 = "request.bad-base64"
    case badField = "request.bad-field"
    case badBits = "request.bad-bits"
    case badJson = "request.bad-json"
    case badKind = "request.bad-kind"
    case badWait = "request.bad-wait"
    case emptyBody = "request.empty-body"
    case jsonTooDeep = "request.json-too-deep"
    case headTooLarge = "request.head-too-large"
    case malformedHttp = "request.malformed-http"
    case missingField = "request.missing-field"
    case timeout = "request.timeout"
    case tooLarge = "request.too-large"
    case wrongType = "request.wrong-type"
    case routeMethodNotAllowed = "route.method-not-allowed"
    case routeNotFound = "route.not-found"

    public var status: Int {
        switch self {
        case .authForbidden, .approvalSameOperator: 403
        case .approvalNotFound: 404
        case .approvalExpired: 409
        case .identityClientIdMismatch: 422
        case .keysetNoPrevious, .modeNotServed, .modeUnknown, .routeNotFound: 404
        case .routeMethodNotAllowed: 405
        case .timeout: 408
        case .tooLarge: 413
        case .headTooLarge: 431
        case .`internal`: 500
        default: 400
        }
    }
}
