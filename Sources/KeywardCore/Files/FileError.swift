public import KeywardCrypto

/// A file could not be read, created or replaced. Names the path and the system's reason.
public struct FileError: ReportableError, Equatable {
    public let code: String
    public let message: String
    public let hint: String

    public init(code: String, message: String, hint: String) {
        self.code = code
        self.message = message
        self.hint = hint
    }

    public static func == (lhs: FileError, rhs: FileError) -> Bool { lhs.code == rhs.code }

    /// A code-only value for comparisons.
    public static func code(_ code: String) -> FileError { FileError(code: code, message: "", hint: "") }
}
