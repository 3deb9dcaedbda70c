/// How keywardd copies each audit entry to the journal, so a journal shipped off the host can
/// later prove the local log changed: `MESSAGE_ID` below, with `KEYWARD_INSTALL_ID`,
/// `KEYWARD_AUDIT_SEQ`, `KEYWARD_AUDIT_HASH` (SHA-256 of the log line), `KEYWARD_AUDIT_ACTION`,
/// `KEYWARD_AUDIT_OUTCOME`, `KEYWARD_AUDIT_UID`, `KEYWARD_AUDIT_PID` and `KEYWARD_MODE`.
public enum KeywardAuditJournal {
    public static let messageID = "0f2a7c4e9b1d4c3a8e5f6a7b8c9d0e1f"
}

/// `keywardctl audit --verify --against-journal --json`.
public struct JournalComparison: Codable, Sendable, Equatable {
    public let valid: Bool
    /// Entries that have a journal copy and were compared.
    public let compared: Int
    public let entries: Int
    public let problems: [String]

    public init(valid: Bool, compared: Int, entries: Int, problems: [String]) {
        self.valid = valid
        self.compared = compared
        self.entries = entries
        self.problems = problems
    }
}
