import KeywardAPI
import KeywardCore
public import KeywardCrypto

/// An error answered over the socket: an HTTP status and the one JSON error shape
/// `{"error": {"code", "message", "hint"}}`, with the same codes as the library and the CLI.
public struct APIError: ReportableError {
    public let status: Int
    public let code: String
    public let message: String
    public let hint: String

    public init(status: Int, code: String, message: String, hint: String) {
        self.status = status
        self.code = code
        self.message = message
        self.hint = hint
    }

    /// Maps any error to its status by its domain: bad keys and credentials are 422,
    /// illegal transitions 409, storage failures 503, anything unknown 500 (without
    /// details, which go to the log).
    public init(_ error: any Error) {
        if let error = error as? APIError {
            self = error
            return
        }
        guard let reportable = error as? any ReportableError else {
            self.init(
                status: 500, code: "internal", message: "an internal error occurred", hint: "see the daemon's log; report it if it repeats")
            return
        }
        let status: Int
        switch reportable.code {
        case let code where code.hasPrefix("key.") || code.hasPrefix("credentials.") || code.hasPrefix("signature."): status = 422
        // One code, one status: "nothing pending" is 404 whichever route finds it (docs/api.md).
        case "rotation.none-pending": status = 404
        case let code where code.hasPrefix("rotation."): status = 409
        case "vault.write-failed", "vault.no-space", "audit.write-failed": status = 503
        case "store.conflict": status = 409
        case let code where code.hasPrefix("store."): status = 503
        case let code where code.hasPrefix("vault.") || code.hasPrefix("audit."): status = 500
        case let code where code.hasPrefix("file."): status = 400
        default: status = 500
        }
        self.init(status: status, code: reportable.code, message: reportable.message, hint: reportable.hint)
    }

    /// The JSON body: the one error envelope of KeywardAPI.
    public var body: [UInt8] {
        (try? JSON.encode(ErrorEnvelope(code: code, message: message, hint: hint)))
            ?? Array("{\"error\":{\"code\":\"internal\"}}".utf8)
    }

    static func notFound(_ what: String) -> APIError {
        APIError(status: 404, code: "route.not-found", message: "there is no \(what)", hint: "see docs/api.md for the routes")
    }

    static func methodNotAllowed(_ method: String, _ path: String, allowed: [String]) -> APIError {
        APIError(
            status: 405, code: "route.method-not-allowed",
            message: "\(method) is not allowed on \(path); allowed: \(allowed.joined(separator: ", "))", hint: "see docs/api.md")
    }
}
