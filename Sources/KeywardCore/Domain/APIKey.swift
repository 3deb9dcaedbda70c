public import KeywardCrypto

/// The legacy MD5 API key: optional, exactly 32 letters and digits. A secret: held in
/// `SecretBytes` and never printed.
public struct APIKey: Sendable, CustomStringConvertible {
    public let secret: SecretBytes

    /// Validates and takes the key from secret bytes (for example a file or request body).
    public init(_ secret: SecretBytes) throws {
        let valid = secret.withUnsafeBytes { bytes in
            bytes.count == 32 && bytes.allSatisfy { $0.isASCIIDigit || ($0 | 0x20 >= UInt8(ascii: "a") && $0 | 0x20 <= UInt8(ascii: "z")) }
        }
        guard valid else {
            throw CredentialError(
                code: .apiKeyInvalid,
                message: "the API key must be exactly 32 letters and digits; got \(secret.count) bytes",
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
