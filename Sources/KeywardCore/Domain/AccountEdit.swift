/// A field of a mode's account that `setup` can clear.
public enum AccountField: String, Sendable, CaseIterable, Codable {
    /// The PID and the App ID together.
    case openPlatform = "open-platform"
    /// The Client-ID, with its gateway domain and key version.
    case alipayPlus = "alipay-plus"
    case gatewayDomain = "gateway-domain"
    case platformKeyVersion = "key-version"
    case accountEmail = "email"
    case apiKey = "api-key"
}

/// What `setup` changes in a mode's account: the fields given replace theirs, the fields in
/// `clear` are removed, and every other field is kept (nothing is erased by omission).
public struct AccountEdit: Sendable {
    public var pid: PID?
    public var appID: AppID?
    public var clientID: ClientID?
    public var gatewayDomain: GatewayDomain?
    public var platformKeyVersion: PlatformKeyVersion?
    public var accountEmail: AccountEmail?
    public var apiKey: APIKey?
    public var clear: Set<AccountField>

    public init(
        pid: PID? = nil, appID: AppID? = nil, clientID: ClientID? = nil, gatewayDomain: GatewayDomain? = nil,
        platformKeyVersion: PlatformKeyVersion? = nil, accountEmail: AccountEmail? = nil, apiKey: APIKey? = nil,
        clear: Set<AccountField> = []
    ) {
        self.pid = pid
        self.appID = appID
        self.clientID = clientID
        self.gatewayDomain = gatewayDomain
        self.platformKeyVersion = platformKeyVersion
        self.accountEmail = accountEmail
        self.apiKey = apiKey
        self.clear = clear
    }

    /// An edit that makes the account exactly `account` (every other field cleared).
    public static func setting(_ account: MerchantAccount) -> AccountEdit {
        AccountEdit(
            pid: account.pid, appID: account.appID, clientID: account.clientID, gatewayDomain: account.gatewayDomain,
            platformKeyVersion: account.platformKeyVersion, accountEmail: account.accountEmail, apiKey: account.apiKey,
            clear: Set(AccountField.allCases))
    }

    /// `base` with this edit applied, checked as a whole.
    public func applied(to base: MerchantAccount?) throws -> MerchantAccount {
        func kept<Value>(_ given: Value?, _ old: Value?, _ fields: AccountField...) -> Value? {
            given ?? (fields.contains(where: clear.contains) ? nil : old)
        }
        return try MerchantAccount(
            pid: kept(pid, base?.pid, .openPlatform),
            appID: kept(appID, base?.appID, .openPlatform),
            clientID: kept(clientID, base?.clientID, .alipayPlus),
            gatewayDomain: kept(gatewayDomain, base?.gatewayDomain, .alipayPlus, .gatewayDomain),
            platformKeyVersion: kept(platformKeyVersion, base?.platformKeyVersion, .alipayPlus, .platformKeyVersion),
            accountEmail: kept(accountEmail, base?.accountEmail, .accountEmail),
            apiKey: kept(apiKey, base?.apiKey, .apiKey)
        )
    }

    /// What changed from `old` to `new`, for the audit log: "App ID changed; API key cleared".
    public static func changes(from old: MerchantAccount?, to new: MerchantAccount) -> String {
        func describe<Value: Equatable>(_ name: String, _ before: Value?, _ after: Value?) -> String? {
            if before == after { return nil }
            if before == nil { return "\(name) set" }
            if after == nil { return "\(name) cleared" }
            return "\(name) changed"
        }
        let parts = [
            describe("PID", old?.pid, new.pid), describe("App ID", old?.appID, new.appID),
            describe("Client-ID", old?.clientID, new.clientID),
            describe("gateway domain", old?.gatewayDomain, new.gatewayDomain),
            describe("key version", old?.platformKeyVersion, new.platformKeyVersion),
            describe("email", old?.accountEmail, new.accountEmail), describe("API key", old?.apiKey, new.apiKey),
        ].compactMap { $0 }
        return parts.isEmpty ? "nothing changed" : parts.joined(separator: "; ")
    }
}
