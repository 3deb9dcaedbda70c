public import Foundation

/// A control action of a mode under two-person control, waiting for a second operator.
/// Answered with 202 by the route that asked for the action.
public struct ApprovalStatus: Codable, Sendable, Equatable {
    public let id: String
    public let mode: Mode
    /// `commit`, `rollback`, `rollback to v3`, `activate`, `deactivate`, `add-alipay-certificate`,
    /// `rekey`, `export-private-key-on`.
    public let action: String
    public let requestedByUID: UInt32
    /// The requester's process as the audit log names it (unit, command name, executable).
    public let requestedBy: AuditActor?
    public let requestedAt: Date
    public let expiresAt: Date
    public let next: String

    public init(
        id: String, mode: Mode, action: String, requestedByUID: UInt32, requestedBy: AuditActor? = nil, requestedAt: Date, expiresAt: Date
    ) {
        self.id = id
        self.mode = mode
        self.action = action
        self.requestedByUID = requestedByUID
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.expiresAt = expiresAt
        self.next =
            "another operator of \(mode) mode approves it: keywardctl approve \(mode) \(id) (or rejects it: keywardctl reject \(mode) \(id))"
    }
}

/// `GET /v1/modes/{mode}/approvals`.
public struct ApprovalList: Codable, Sendable, Equatable {
    public let approvals: [ApprovalStatus]

    public init(approvals: [ApprovalStatus]) { self.approvals = approvals }
}

/// `POST /v1/modes/{mode}/approve` and `…/reject`.
public struct ApprovalDecision: Codable, Sendable, Equatable {
    public let id: String

    public init(id: String) { self.id = id }
}
