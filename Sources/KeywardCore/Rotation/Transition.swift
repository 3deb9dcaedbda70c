/// The result of applying a command: the new vault contents and what the owner must do,
/// in this order: persist the contents, then (if `publishes`) publish the mode's new
/// snapshot and wake its watchers.
public struct Transition: Sendable {
    public let contents: VaultContents
    public let mode: Mode
    public let command: String
    /// Whether what the mode serves changed (commit, rollback, activation, account).
    public let publishes: Bool
    /// What the audit log records about it (no key material).
    public let record: TransitionRecord
}
