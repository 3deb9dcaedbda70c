/// The release every Keyward binary reports (`keywardd --version`, `keywardctl --version`,
/// `keyward-store --version`). 0.2.0: vault format 2, identities per mode, the flows under the
/// dashboards' names. 0.3.0: vault format 3 (certificate mode, export approvals), backups with
/// a recovery key, the peer's process in the audit log.
public enum KeywardVersion {
    public static let current = "0.3.0"
}
