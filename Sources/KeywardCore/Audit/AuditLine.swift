import Foundation
public import KeywardAPI
import KeywardCrypto

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

    // The API's one JSON configuration (sorted keys, ISO 8601 times).
    static let encoder = APIJSON.encoder()
    static let decoder = APIJSON.decoder()
}
