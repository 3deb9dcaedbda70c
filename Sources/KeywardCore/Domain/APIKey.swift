public import KeywardCrypto

/// The legacy MD5 API key: optional, exactly 32 letters and digits. A secret: held in
/// `SecretBytes` and never printed.
public struct APIKey: Sendable, CustomStringConvertible {
    public let secret: SecretBytes

    /// Validates and takes the key from secret bytes (for example a file or request body).
    public init(_ secret: SecretBytes) throws {
        // Positions only: the key is a secret and never quoted.
        let (count, others) = secret.withUnsafeBytes { bytes in
            (
                bytes.count,
                bytes.indices.filter { index in
                    let byte = bytes[index]
                    return !(byte.isASCIIDigit || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")))
                }
            )
        }
        guard count == 32, others.isEmpty else {
            let problem =
                others.isEmpty
                ? "it has \(count) characters, not 32"
                : "it has \(others.count == 1 ? "a character" : "\(others.count) characters") other than a letter or digit (position\(others.count == 1 ? "" : "s") \(others.prefix(4).map { String($0 + 1) }.joined(separator: ", "))\(others.count > 4 ? ", …" : ""))"
            throw CredentialError(
                code: .apiKeyInvalid,
                message: "the API key must be exactly 32 letters and digits; \(problem)",
                hint: "copy the MD5 key from the dashboard, or leave it out: it is optional since 2018"
            )
        }
        self.secret = secret
    }

    /// Validates and takes the key from text.
    public init(_ text: String) throws {
        try self.init(Array(text.trimmingASCIIWhitespace().utf8).withUnsafeBytes { SecretBytes(copying: $0) })
    }

    public var description: String { "<redacted>" }
}

extension APIKey: Equatable {
    public static func == (lhs: APIKey, rhs: APIKey) -> Bool { lhs.secret.constantTimeEquals(rhs.secret) }
}
