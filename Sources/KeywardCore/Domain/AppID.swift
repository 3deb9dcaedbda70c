import KeywardCrypto

/// An Alipay App ID: 16 digits, required, and never the same as the PID.
public struct AppID: ValidatedText {
    public let value: String

    public init(_ text: String) throws {
        let trimmed = text.trimmingASCIIWhitespace()
        guard trimmed.utf8.count == 16, trimmed.utf8.allSatisfy(\.isASCIIDigit) else {
            throw CredentialError(
                code: .appIdInvalid,
                message: "the App ID must be 16 digits; got \(trimmed.utf8.count) characters",
                hint: "copy the App ID shown on the left of the dashboard (网页&移动应用)"
            )
        }
        self.value = trimmed
    }

}
