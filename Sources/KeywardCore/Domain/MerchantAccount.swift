import KeywardCrypto

/// A mode's merchant identity, as the dashboards know it: on the Alipay open platform a PID
/// and an App ID; on Alipay+ / Antom a Client-ID (with the gateway it calls and, optionally,
/// the key version the platform registered); or both. The account email and the legacy API
/// key ride along. The key half lives in `KeySet`.
public struct MerchantAccount: Sendable, Equatable {
    public let pid: PID?
    public let appID: AppID?
    public let clientID: ClientID?
    public let gatewayDomain: GatewayDomain?
    public let platformKeyVersion: PlatformKeyVersion?
    public let accountEmail: AccountEmail?
    public let apiKey: APIKey?

    /// Checks the rules that tie the fields together: an open-platform identity is a PID and
    /// an App ID (never equal), an Alipay+ one a Client-ID, and a mode has at least one.
    public init(
        pid: PID? = nil, appID: AppID? = nil, clientID: ClientID? = nil, gatewayDomain: GatewayDomain? = nil,
        platformKeyVersion: PlatformKeyVersion? = nil, accountEmail: AccountEmail? = nil, apiKey: APIKey? = nil
    ) throws {
        guard (pid == nil) == (appID == nil) else {
            throw CredentialError(
                code: .openPlatformIncomplete,
                message: "an open-platform identity needs both the PID and the App ID; \(pid == nil ? "the PID" : "the App ID") is missing",
                hint: "give --pid and --app-id together (合作伙伴身份 and the App ID of 网页&移动应用)"
            )
        }
        guard pid != nil || clientID != nil else {
            throw CredentialError(
                code: .noIdentity,
                message: "a mode needs an identity: a PID and App ID (Alipay open platform), a Client-ID (Alipay+ / Antom), or both",
                hint: "keywardctl setup MODE --pid … --app-id …, or keywardctl setup MODE --client-id …"
            )
        }
        if let pid, let appID, pid.value == appID.value {
            throw CredentialError(
                code: .appIdEqualsPid,
                message: "the App ID is the same as the PID",
                hint: "the App ID is the 16-digit number of the application (网页&移动应用), not the partner ID"
            )
        }
        guard clientID != nil || (gatewayDomain == nil && platformKeyVersion == nil) else {
            throw CredentialError(
                code: .alipayPlusIncomplete,
                message: "a gateway domain or key version belongs to an Alipay+ identity, and this mode has no Client-ID",
                hint: "give --client-id too"
            )
        }
        self.pid = pid
        self.appID = appID
        self.clientID = clientID
        self.gatewayDomain = gatewayDomain
        self.platformKeyVersion = platformKeyVersion
        self.accountEmail = accountEmail
        self.apiKey = apiKey
    }

    /// Whether `other` names the same merchant identity: what services sign as (PID, App ID,
    /// Client-ID, gateway, key version). The email and the API key are not part of it.
    public func hasSameIdentity(as other: MerchantAccount?) -> Bool {
        guard let other else { return false }
        return pid == other.pid && appID == other.appID && clientID == other.clientID && gatewayDomain == other.gatewayDomain
            && platformKeyVersion == other.platformKeyVersion
    }

    /// The identity in one line, for the audit log and messages (no secrets).
    public var summary: String {
        var parts: [String] = []
        if let pid, let appID { parts.append("PID \(pid), App ID \(appID)") }
        if let clientID { parts.append("Client-ID \(clientID)\(gatewayDomain.map { " at \($0)" } ?? "")") }
        if let platformKeyVersion { parts.append("key version \(platformKeyVersion)") }
        return parts.joined(separator: "; ")
    }
}
