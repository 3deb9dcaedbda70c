import KeywardCrypto

/// An Alipay partner ID (合作伙伴身份, PID): 16 digits starting with 2088.
public struct PID: ValidatedText {
    public let value: String

    public init(_ text: String) throws {
        let trimmed = text.trimmingASCIIWhitespace()
        guard trimmed.utf8.count == 16, trimmed.utf8.allSatisfy(\.isASCIIDigit) else {
            throw CredentialError(
                code: .pidInvalid,
                message: "the PID must be 16 digits; got \(trimmed.utf8.count) characters",
                hint: "copy the partner ID (合作伙伴身份) from the dashboard; it starts with 2088"
            )
        }
        guard trimmed.hasPrefix("2088") else {
            throw CredentialError(
                code: .pidInvalid,
                message: "the PID must start with 2088",
                hint: "check that you copied the partner ID (合作伙伴身份), not the App ID"
            )
        }
        self.value = trimmed
    }

}
