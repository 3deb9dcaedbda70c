import Foundation
import KeywardCore
import KeywardCrypto
import KeywardFleet
import KeywardServer
import Logging

/// The store `[store]` asks for: the state directory's file, or PostgreSQL mirrored into it.
enum VaultStoreFactory {
    static func make(
        _ configuration: DaemonConfiguration, credentialsDirectory: String?, logger: Logger,
        onReachabilityChange: @escaping @Sendable (Date?) -> Void
    ) throws -> any VaultStore {
        guard case .postgres(let settings) = configuration.store else {
            return try FileVaultStore(directory: configuration.stateDirectory)
        }
        // A fleet node's state directory only caches the store's vault: a new node makes it.
        if !FileManager.default.fileExists(atPath: configuration.stateDirectory) {
            try FileManager.default.createDirectory(
                atPath: configuration.stateDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let local = try FileVaultStore(directory: configuration.stateDirectory)
        let connector = PostgresConnector(
            url: settings.url, password: try password(settings, credentialsDirectory: credentialsDirectory), logger: logger)
        return MirroredVaultStore(
            remote: PostgresVaultStore(connector: connector, logger: logger), local: local, onReachabilityChange: onReachabilityChange)
    }

    private static func password(_ settings: PostgresStoreSettings, credentialsDirectory: String?) throws -> String? {
        guard let name = settings.passwordCredential else { return nil }
        guard let credentialsDirectory else {
            throw StoreError(
                code: "store.password-missing",
                message: "[store] password_credential = \"\(name)\", but systemd passed no credentials ($CREDENTIALS_DIRECTORY is not set)",
                hint: "add LoadCredentialEncrypted=\(name):/etc/keyward/\(name).cred to keywardd.service (see docs/fleet.md)")
        }
        return try PostgresConnector.password(fromFile: "\(credentialsDirectory)/\(name)")
    }
}
