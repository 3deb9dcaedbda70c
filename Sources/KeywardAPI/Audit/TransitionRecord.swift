/// The facts of a transition, for the audit log and the caller's reply.
public struct TransitionRecord: Sendable, Equatable, Codable {
    public var fromVersion: Int?
    public var toVersion: Int?
    public var merchantKeyFingerprint: String?
    public var platformKeyFingerprint: String?
    public var detail: String?

    public init(
        fromVersion: Int? = nil,
        toVersion: Int? = nil,
        merchantKeyFingerprint: String? = nil,
        platformKeyFingerprint: String? = nil,
        detail: String? = nil
    ) {
        self.fromVersion = fromVersion
        self.toVersion = toVersion
        self.merchantKeyFingerprint = merchantKeyFingerprint
        self.platformKeyFingerprint = platformKeyFingerprint
        self.detail = detail
    }
}
