/// What a peer may do in one mode. Each role includes the ones before it.
public enum Role: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    /// Fetch and watch the key set, verify platform signatures.
    case reader = 1
    /// A reader who may also have Keyward sign with the merchant private key.
    case signer = 2
    /// A signer who may also set up, rotate, commit, roll back, read the audit log.
    case `operator` = 3

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .reader: "reader"
        case .signer: "signer"
        case .operator: "operator"
        }
    }
}
