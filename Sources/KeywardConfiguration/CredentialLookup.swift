public import Foundation
import KeywardCore
import KeywardCrypto

/// The systemd credentials keywardd and keywardctl read (`LoadCredentialEncrypted=`), found
/// through `$CREDENTIALS_DIRECTORY`, with errors that say which unit setting is missing.
public struct CredentialLookup: Sendable {
    /// `$CREDENTIALS_DIRECTORY`, or nil when systemd passed no credentials.
    public let directory: String?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        directory = environment["CREDENTIALS_DIRECTORY"]
    }

    /// The file of credential `name`, or nil when systemd passed no credentials at all.
    public func path(of name: String) -> String? {
        directory.map { "\($0)/\(name)" }
    }

    /// The file of the store password credential `[store] password_credential` names.
    public func storePasswordFile(_ name: String) throws -> String {
        guard let path = path(of: name) else {
            throw StoreError(
                code: .passwordMissing,
                message: "[store] password_credential = \"\(name)\", but no credentials were passed ($CREDENTIALS_DIRECTORY is not set)",
                hint:
                    "add LoadCredentialEncrypted=\(name):/etc/keyward/\(name).cred to keywardd.service (see docs/fleet.md), or give keywardctl --password-file FILE"
            )
        }
        return path
    }
}
