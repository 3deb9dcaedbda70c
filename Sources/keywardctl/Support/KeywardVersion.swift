/// The version every Keyward binary reports.
enum KeywardVersion {
    static let current = "0.1.0"
}
