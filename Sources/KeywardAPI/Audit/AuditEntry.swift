public import Foundation

/// One event in the audit log: who did what to which mode, with versions and fingerprints,
/// never key material. Each entry carries the SHA-256 of the line before it.
public struct AuditEntry: Sendable, Codable, Equatable {
    /// 1 for the first entry, one more for each entry after.
    public let sequence: Int
    public let time: Date
    public let actor: AuditActor
    /// `commit`, `begin-one-click`, `export-private-key`, `refused`, …
    public let action: String
    public let mode: Mode?
    /// `ok`, or `refused` for denied requests.
    public let outcome: String
    public let record: TransitionRecord
    /// SHA-256 (hex) of the previous line's bytes; 64 zeros for the first entry.
    public let previousHash: String
    /// HMAC-SHA256 (hex) of this line written without `mac`, under a key only the vault's
    /// master key opens; absent on entries of 0.1.0 (which the first keyed entry chains to).
    public let mac: String?

    public init(
        sequence: Int,
        time: Date,
        actor: AuditActor,
        action: String,
        mode: Mode?,
        outcome: String,
        record: TransitionRecord,
        previousHash: String,
        mac: String? = nil
    ) {
        self.sequence = sequence
        self.time = time
        self.actor = actor
        self.action = action
        self.mode = mode
        self.outcome = outcome
        self.record = record
        self.previousHash = previousHash
        self.mac = mac
    }

    /// The same entry with `mac` set (or cleared with nil).
    public func with(mac: String?) -> AuditEntry {
        AuditEntry(
            sequence: sequence, time: time, actor: actor, action: action, mode: mode, outcome: outcome, record: record,
            previousHash: previousHash, mac: mac)
    }

    /// The `previousHash` of the first entry.
    public static let genesisHash = String(repeating: "0", count: 64)
}
