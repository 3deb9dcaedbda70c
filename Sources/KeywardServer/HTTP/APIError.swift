public import KeywardAPI
import KeywardCore
public import KeywardCrypto

/// An error answered over the socket: an HTTP status and the one JSON error shape
/// `{"error": {"code", "message", "hint"}}`, with the same codes as the library and the CLI.
public struct APIError: ReportableError {
    public let errorCode: any ErrorCode
    public let message: String
    public let hint: String

    public init(code: APIErrorCode, message: String, hint: String) {
        self.init(code, message: message, hint: hint)
    }

    private init(_ code: any ErrorCode, message: String, hint: String) {
        self.errorCode = code
        self.message = message
        self.hint = hint
    }

    /// Any error as an answer: a Keyward error keeps its code and the status its catalog
    /// gives it; anything else is 500 "internal" (the details go to the log).
    public init(_ error: any Error) {
        if let error = error as? APIError {
            self = error
        } else if let reportable = error as? any ReportableError {
            self.init(reportable.errorCode, message: reportable.message, hint: reportable.hint)
        } else {
            self.init(code: .internal, message: "an internal error occurred", hint: "see the daemon's log; report it if it repeats")
        }
    }

    /// The JSON body: the one error envelope of KeywardAPI.
    public var body: [UInt8] {
        (try? JSON.encode(ErrorEnvelope(code: code, message: message, hint: hint)))
            ?? Array("{\"error\":{\"code\":\"internal\"}}".utf8)
    }

    static func notFound(_ what: String) -> APIError {
        APIError(code: .routeNotFound, message: "there is no \(what)", hint: "see docs/api.md for the routes")
    }

    static func methodNotAllowed(_ method: String, _ path: String, allowed: [String]) -> APIError {
        APIError(
            code: .routeMethodNotAllowed,
            message: "\(method) is not allowed on \(path); allowed: \(allowed.joined(separator: ", "))", hint: "see docs/api.md")
    }
}
