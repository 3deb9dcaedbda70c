public import KeywardAPI

/// The codes of `ConfigurationError`: keywardd.toml (docs/api.md).
/// Each carries the HTTP status the socket API answers it with; docs list every one
/// (`ErrorCatalogTests` holds code and docs together).
public enum ConfigurationErrorCode: String, ErrorCode, CaseIterable {
    case invalid = "config.invalid"
    case unreadable = "config.unreadable"

    public var status: Int {
        500
    }
}
