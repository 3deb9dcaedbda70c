/// Where a key set's merchant key pair came from, named as the dashboards name the flows.
public enum KeySetOrigin: String, Sendable, Codable, CaseIterable {
    /// Keyward generated the pair; the operator uploaded its public key (the seed's "use your
    /// own public and private keys", done by Keyward).
    case generated
    /// The operator brought a pair made with an offline tool.
    case ownKeys = "own-keys"
    /// The dashboard's one-click replacement: the dashboard generated the pair and showed the
    /// private key once; the operator gave it to Keyward with the platform public key.
    case oneClick = "one-click"
}
