/// Where a pending rotation stands, as `GET /v1/modes/{mode}/rotation` answers it.
public enum RotationState: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// The merchant key pair is there; the platform public key the dashboard returns is not.
    case awaitingPlatformKey = "awaiting-platform-key"
    /// Both halves are there: commit puts them live together.
    case ready
    /// Its window ended before it was committed: abort it and begin again.
    case expired

    public var description: String { rawValue }
}
