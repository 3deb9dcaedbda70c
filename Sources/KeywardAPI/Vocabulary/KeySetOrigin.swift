/// Where a key set's merchant key pair came from.
public enum KeySetOrigin: String, Sendable, Codable, CaseIterable {
    /// Keyward generated the pair; the operator uploaded the public key.
    case oneClick = "one-click"
    /// The operator brought a pair made with an offline tool.
    case ownKeys = "own-keys"
    /// The dashboard generated the pair; the operator imported the private key shown once
    /// together with the platform public key.
    case imported
}
