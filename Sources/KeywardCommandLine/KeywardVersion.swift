/// The version every Keyward binary reports.
public enum KeywardVersion {
    public static let current = "0.1.0"
}
