public import Foundation

/// Everything Keyward keeps for one mode.
public struct ModeState: Sendable {
    /// PID, App ID, email, API key; nil until set up.
    public internal(set) var account: MerchantAccount?
    /// An identity change waiting for the pending rotation: it goes live at its commit, with
    /// the new keys (and is dropped with an abort).
    public internal(set) var stagedAccount: MerchantAccount?
    /// A mode is served only after it is activated, and activation needs a current set.
    public internal(set) var isActive: Bool
    public internal(set) var current: KeySet?
    public internal(set) var previous: PreviousKeySet?
    public internal(set) var pending: PendingRotation?
    /// Summaries of committed sets, newest last, at most `RotationPolicy.historyLimit`.
    public internal(set) var history: [KeySetSummary]
    /// The highest version ever committed; the next commit gets one more, even after a
    /// rollback.
    public internal(set) var lastVersion: Int
    /// Under two-person control, the second operator's approval of `export_private_key`: the
    /// key leaves to readers only while the configuration asks for it and this is set. Cleared
    /// when the configuration turns export off, so turning it on again needs a new approval.
    public internal(set) var exportApproval: ExportApproval?
    /// Bumped whenever what this mode serves changes (commit, rollback, activation,
    /// account change): the basis of ETags and of waking watchers.
    public internal(set) var revision: Int

    public init(
        account: MerchantAccount? = nil,
        stagedAccount: MerchantAccount? = nil,
        isActive: Bool = false,
        current: KeySet? = nil,
        previous: PreviousKeySet? = nil,
        pending: PendingRotation? = nil,
        history: [KeySetSummary] = [],
        lastVersion: Int = 0,
        revision: Int = 0,
        exportApproval: ExportApproval? = nil
    ) {
        self.account = account
        self.stagedAccount = stagedAccount
        self.isActive = isActive
        self.current = current
        self.previous = previous
        self.pending = pending
        self.history = history
        self.lastVersion = lastVersion
        self.revision = revision
        self.exportApproval = exportApproval
    }

    /// The previous set if its grace window is still open at `now`.
    public func previous(at now: Date) -> PreviousKeySet? {
        guard let previous, previous.isWithinGrace(at: now) else { return nil }
        return previous
    }
}

/// A second operator's approval of exporting a mode's private key (two-person control).
public struct ExportApproval: Sendable, Codable, Equatable {
    public let approvedAt: Date
    /// Who asked (the configuration's owner, root, when the daemon filed it at a reload).
    public let requestedByUID: UInt32

    public init(approvedAt: Date, requestedByUID: UInt32) {
        self.approvedAt = approvedAt
        self.requestedByUID = requestedByUID
    }
}
