/// Test mode or live mode. Each has its own credentials and keys and never shares a key
/// with the other ("You must use different API keys … in test mode and real mode").
public enum Mode: String, Sendable, Codable, CodingKeyRepresentable, CaseIterable, Comparable, CustomStringConvertible {
    case test
    case live

    /// The other mode.
    public var other: Mode { self == .test ? .live : .test }

    public var description: String { rawValue }

    /// Parses a mode name as it appears in the API and CLI; nil for anything else.
    public init?(name: some StringProtocol) {
        switch name {
        case "test": self = .test
        case "live": self = .live
        default: return nil
        }
    }

    public static func < (lhs: Mode, rhs: Mode) -> Bool { lhs == .test && rhs == .live }
}
