import KeywardCrypto

/// An Alipay App ID: 16 digits, required, and never the same as the PID.
public struct AppID: ValidatedText {
    public let value: String

    public init(_ text: String) throws {
        let trimmed = text.trimmingASCIIWhitespace()
        if let problem = DigitsShape.problem(trimmed, count: 16) {
            throw CredentialError(
                code: .appIdInvalid,
                message: "the App ID must be 16 digits; the one given \(problem)",
                hint: "copy the App ID shown on the left of the dashboard (网页&移动应用)"
            )
        }
        self.value = trimmed
    }

}
