/// The release every Keyward binary reports (`keywardd --version`, `keywardctl --version`,
/// `keyward-store --version`). 0.2.0: vault format 2, identities per mode, the flows under the
/// dashboards' names.
public enum KeywardVersion {
    public static let current = "0.2.0"
}
