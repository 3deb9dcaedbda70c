public import KeywardAPI

/// The codes of `FileError`: Reading, creating and replacing files (docs/key-tool.md).
/// Each carries the HTTP status the socket API answers it with; docs list every one
/// (`ErrorCatalogTests` holds code and docs together).
public enum FileErrorCode: String, ErrorCode, CaseIterable {
    case createFailed = "file.create-failed"
    case exists = "file.exists"
    case isDirectory = "file.is-directory"
    case noSpace = "file.no-space"
    case notFound = "file.not-found"
    case openFailed = "file.open-failed"
    case permissionDenied = "file.permission-denied"
    case readFailed = "file.read-failed"
    case tooLarge = "file.too-large"
    case unwritable = "file.unwritable"
    case writeFailed = "file.write-failed"

    public var status: Int {
        400
    }
}
