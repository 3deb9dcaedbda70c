public import Foundation

/// How urgent something is, least first: a key set due for rotation, a pending rotation
/// about to expire.
public enum LifecycleState: String, Codable, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    case ok
    /// Within the warning window before its date.
    case dueSoon = "due-soon"
    /// A key set past its rotation date (it still serves: keys do not expire).
    case overdue
    /// A pending rotation past its lifetime: it can no longer be committed.
    case expired

    public static func < (lhs: LifecycleState, rhs: LifecycleState) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    public var description: String { rawValue }
}

/// What a lifecycle item is about.
public enum LifecycleKind: String, Codable, Sendable, CaseIterable {
    /// The mode's current key set and its rotation date.
    case keySet = "key-set"
    /// The mode's pending rotation and its expiry.
    case pendingRotation = "pending-rotation"
    /// Certificate mode: the app certificate's expiry.
    case appCertificate = "app-certificate"
    /// Certificate mode: the newest Alipay certificate's expiry.
    case alipayCertificate = "alipay-certificate"
    /// Certificate mode: the root file's earliest RSA certificate expiry.
    case rootCertificate = "root-certificate"
}

/// One thing that comes due, with one line saying what and the next command to run.
public struct LifecycleItem: Codable, Sendable, Equatable {
    public let mode: Mode
    public let kind: LifecycleKind
    public let state: LifecycleState
    /// The key set's version (key-set items).
    public let version: Int?
    /// When the key set was committed or the rotation begun.
    public let since: Date
    /// The rotation date of a key set (nil: the policy never makes it due), or the expiry of
    /// a pending rotation.
    public let dueAt: Date?
    /// What is due, for a person: "live v3 is overdue for rotation since 2027-01-01 (12 days)".
    public let message: String
    /// The next command to run.
    public let next: String

    public init(
        mode: Mode, kind: LifecycleKind, state: LifecycleState, version: Int?, since: Date, dueAt: Date?, message: String, next: String
    ) {
        self.mode = mode
        self.kind = kind
        self.state = state
        self.version = version
        self.since = since
        self.dueAt = dueAt
        self.message = message
        self.next = next
    }
}

/// A mode's lifecycle: its items and the most urgent state among them.
public struct ModeLifecycle: Codable, Sendable, Equatable {
    public let state: LifecycleState
    public let items: [LifecycleItem]

    public init(items: [LifecycleItem]) {
        self.items = items
        self.state = items.map(\.state).max() ?? .ok
    }
}
