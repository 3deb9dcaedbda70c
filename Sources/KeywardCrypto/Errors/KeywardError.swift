/// A family of errors: crypto, files, credentials, rotation, vault, audit.
public protocol ErrorDomain: Sendable {
    /// Short name of the family, for logs.
    static var name: String { get }
}

/// The one error shape of Keyward, specialised per domain (`CryptoError`, `VaultError`, …).
///
/// Equal by `code` alone, so tests and `catch` clauses compare errors without depending on
/// wording; the domain keeps families apart at the type level.
public struct KeywardError<Domain: ErrorDomain>: ReportableError, Equatable {
    public let code: String
    public let message: String
    public let hint: String

    public init(code: String, message: String, hint: String) {
        self.code = code
        self.message = message
        self.hint = hint
    }

    public static func == (lhs: KeywardError, rhs: KeywardError) -> Bool {
        lhs.code == rhs.code
    }

    /// A code-only value for comparisons in tests and `catch` clauses.
    public static func code(_ code: String) -> KeywardError {
        KeywardError(code: code, message: "", hint: "")
    }
}

/// Errors of key material and cryptographic operations.
public enum CryptoErrorDomain: ErrorDomain {
    public static let name = "crypto"
}

/// The error of every KeywardCrypto operation.
public typealias CryptoError = KeywardError<CryptoErrorDomain>
