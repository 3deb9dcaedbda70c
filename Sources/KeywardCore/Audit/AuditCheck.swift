/// What checking the audit log found: a whole chain that still holds the vault's sealed
/// last entry, or the first problem.
public struct AuditCheck: Sendable, Equatable {
    public let valid: Bool
    /// How many entries the chain has (nil when it breaks before its end).
    public let entries: Int?
    /// What is wrong, for a person: the first line that does not fit, or the missing seal.
    public let problem: String?

    public init(valid: Bool, entries: Int?, problem: String?) {
        self.valid = valid
        self.entries = entries
        self.problem = problem
    }
}
