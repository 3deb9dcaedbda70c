/// The error of every KeywardCrypto operation.
///
/// Equal by `code` alone, so tests compare errors without depending on wording.
public struct CryptoError: ReportableError, Equatable {
    public let code: String
    public let message: String
    public let hint: String

    public init(code: String, message: String, hint: String) {
        self.code = code
        self.message = message
        self.hint = hint
    }

    public static func == (lhs: CryptoError, rhs: CryptoError) -> Bool {
        lhs.code == rhs.code
    }
}

extension CryptoError {
    /// A code-only value for comparisons in tests and `catch` clauses.
    public static func code(_ code: String) -> CryptoError {
        CryptoError(code: code, message: "", hint: "")
    }

    static func openSSL(_ operation: String) -> CryptoError {
        CryptoError(
            code: "crypto.openssl",
            message: "OpenSSL failed in \(operation): \(OpenSSLErrorQueue.drain())",
            hint: "this is not caused by your input; report it with the OpenSSL version (`openssl version`)"
        )
    }
}
