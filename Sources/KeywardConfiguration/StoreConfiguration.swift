import KeywardCore

/// Where the vault lives: `[store] kind = "file"` (the state directory, the default) or
/// `kind = "postgres"` (a fleet sharing one vault; the state directory keeps a local copy).
public enum StoreConfiguration: Sendable, Equatable {
    case file
    case postgres(PostgresStoreSettings)
}

/// `[store]` for a fleet.
public struct PostgresStoreSettings: Sendable, Equatable {
    public var url: PostgresURL
    /// The systemd credential (`LoadCredentialEncrypted=NAME:…`) that holds the password;
    /// nil: no password (peer or certificate authentication).
    public var passwordCredential: String?
    /// How often a node checks the stored generation, in case a notification was lost.
    public var pollInterval: Duration

    public init(url: PostgresURL, passwordCredential: String?, pollInterval: Duration = .seconds(5)) {
        self.url = url
        self.passwordCredential = passwordCredential
        self.pollInterval = pollInterval
    }
}
