/// The one JSON error shape of Keyward, on the socket and in `keywardctl --json`:
/// `{"error": {"code": "…", "message": "…", "hint": "…"}}`. Codable values only: the daemon
/// encodes it, keywardctl and the tests decode it.
public struct ErrorEnvelope: Codable, Sendable, Equatable {
    public struct Body: Codable, Sendable, Equatable {
        /// Stable and dotted, as the error tables of docs/api.md name it.
        public let code: String
        /// What was wrong.
        public let message: String
        /// What to do about it.
        public let hint: String

        public init(code: String, message: String, hint: String) {
            self.code = code
            self.message = message
            self.hint = hint
        }
    }

    public let error: Body

    public init(code: String, message: String, hint: String) {
        error = Body(code: code, message: message, hint: hint)
    }
}
