import KeywardCrypto

/// The identity half of a mode's credentials, as the seed lists them: PID, account email,
/// API key, App ID. The key half lives in `KeySet`.
public struct MerchantAccount: Sendable, Equatable {
    public let pid: PID
    public let appID: AppID
    public let accountEmail: AccountEmail?
    public let apiKey: APIKey?

    /// Checks the rule that ties the fields together: the App ID is not the PID.
    public init(pid: PID, appID: AppID, accountEmail: AccountEmail? = nil, apiKey: APIKey? = nil) throws {
        guard pid.value != appID.value else {
            throw CredentialError(
                code: .appIdEqualsPid,
                message: "the App ID is the same as the PID",
                hint: "the App ID is the 16-digit number of the application (网页&移动应用), not the partner ID"
            )
        }
        self.pid = pid
        self.appID = appID
        self.accountEmail = accountEmail
        self.apiKey = apiKey
    }
}
