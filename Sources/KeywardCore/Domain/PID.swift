import KeywardCrypto

/// An Alipay partner ID (合作伙伴身份, PID): 16 digits starting with 2088.
public struct PID: ValidatedText {
    public let value: String

    public init(_ text: String) throws {
        let trimmed = text.trimmingASCIIWhitespace()
        if let problem = DigitsShape.problem(trimmed, count: 16) {
            throw CredentialError(
                code: .pidInvalid,
                message: "the PID must be 16 digits starting with 2088; the one given \(problem)",
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
