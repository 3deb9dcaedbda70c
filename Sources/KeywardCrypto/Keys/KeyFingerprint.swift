/// SHA-256 of a public key's SubjectPublicKeyInfo DER.
///
/// This is how Keyward names keys in status output, the audit log and checks such as "no
/// key may be used by both modes". It is not secret.
public struct KeyFingerprint: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The 32 digest bytes.
    public let bytes: [UInt8]

    init(spkiDER: [UInt8]) {
        self.bytes = SHA256.hash(spkiDER)
    }

    /// Rebuilds a fingerprint from its lowercase or uppercase hex form.
    public init?(hex: String) {
        guard hex.utf8.count == 64, let bytes = Hex.decode(hex) else { return nil }
        self.bytes = bytes
    }

    /// Lowercase hex, 64 characters.
    public var hex: String { Hex.encode(bytes) }

    /// Standard base64, as OpenSSH prints fingerprints.
    public var base64: String { Base64.encodeToString(bytes) }

    /// The one form Keyward shows everywhere (CLI, errors, status, API, audit log): lowercase
    /// hex. (`keywardctl key fingerprint` also prints OpenSSH's `SHA256:<base64>` form.)
    public var description: String { hex }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = KeyFingerprint(hex: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "a fingerprint is 64 hex digits")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}
