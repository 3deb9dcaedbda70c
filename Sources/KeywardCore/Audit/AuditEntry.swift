public import Foundation
import KeywardCrypto

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

    public init(
        sequence: Int,
        time: Date,
        actor: AuditActor,
        action: String,
        mode: Mode?,
        outcome: String,
        record: TransitionRecord,
        previousHash: String
    ) {
        self.sequence = sequence
        self.time = time
        self.actor = actor
        self.action = action
        self.mode = mode
        self.outcome = outcome
        self.record = record
        self.previousHash = previousHash
    }

    /// The `previousHash` of the first entry.
    public static let genesisHash = String(repeating: "0", count: 64)
}

/// An audit entry exactly as written: the line's text is what the chain hashes, so it is
/// kept, not re-encoded.
public struct AuditLine: Sendable, Codable, Equatable {
    public let text: String

    public init(text: String) {
        self.text = text
    }

    /// Encodes `entry` canonically (sorted keys, ISO 8601 times).
    public init(_ entry: AuditEntry) throws {
        let data = try AuditLine.encoder.encode(entry)
        self.text = String(decoding: data, as: UTF8.self)
    }

    /// SHA-256 of the line's bytes, in hex: the next entry's `previousHash`.
    public var hash: String {
        Hex.encode(SHA256.hash(Array(text.utf8)))
    }

    /// The entry the line holds.
    public func entry() throws -> AuditEntry {
        try AuditLine.decoder.decode(AuditEntry.self, from: Data(text.utf8))
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
