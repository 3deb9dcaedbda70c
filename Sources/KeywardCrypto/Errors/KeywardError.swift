public import KeywardAPI

/// A family of errors: crypto, files, credentials, rotation, vault, audit.
public protocol ErrorDomain: Sendable {
    /// The domain's catalog of codes.
    associatedtype Code: ErrorCode
    /// Short name of the family, for logs.
    static var name: String { get }
}

/// The one error shape of Keyward, specialised per domain (`CryptoError`, `VaultError`, …).
///
/// Equal by `code` alone, so tests and `catch` clauses compare errors without depending on
/// wording; the domain keeps families apart at the type level.
public struct KeywardError<Domain: ErrorDomain>: ReportableError, Equatable {
    /// The code, from the domain's catalog: branch on this.
    public let kind: Domain.Code
    public let message: String
    public let hint: String

    public init(code: Domain.Code, message: String, hint: String) {
        self.kind = code
        self.message = message
        self.hint = hint
    }

    public var errorCode: any ErrorCode { kind }

    public static func == (lhs: KeywardError, rhs: KeywardError) -> Bool {
        lhs.kind == rhs.kind
    }

    /// A code-only value for comparisons in tests and `catch` clauses.
    public static func code(_ code: Domain.Code) -> KeywardError {
        KeywardError(code: code, message: "", hint: "")
    }
}

/// Errors of key material and cryptographic operations.
public enum CryptoErrorDomain: ErrorDomain {
    public typealias Code = CryptoErrorCode
    public static let name = "crypto"
}

/// The error of every KeywardCrypto operation.
public typealias CryptoError = KeywardError<CryptoErrorDomain>
