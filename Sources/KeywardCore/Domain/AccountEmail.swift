import KeywardCrypto

/// The merchant account's email address (账户邮箱): one `@`, a non-empty local part, a
/// domain with a dot, no spaces.
public struct AccountEmail: ValidatedText {
    public let value: String

    public init(_ text: String) throws {
        let trimmed = text.trimmingASCIIWhitespace()
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        let wellFormed =
            parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
            && !parts[1].hasSuffix(".") && trimmed.utf8.count <= 254
            && !trimmed.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 0x20 }
        guard wellFormed else {
            throw CredentialError(
                code: .emailInvalid,
                message: "the account email is not a well-formed address",
                hint: "give the email of the Alipay merchant account, like finance@example.com"
            )
        }
        self.value = trimmed
    }

}
