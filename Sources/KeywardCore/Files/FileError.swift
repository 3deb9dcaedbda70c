public import KeywardCrypto

/// Errors of reading, creating and replacing files.
public enum FileErrorDomain: ErrorDomain {
    public typealias Code = FileErrorCode
    public static let name = "file"
}

/// A file could not be read, created or replaced. Names the path and the system's reason.
public typealias FileError = KeywardError<FileErrorDomain>
