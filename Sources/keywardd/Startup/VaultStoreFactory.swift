import Foundation
import KeywardConfiguration
import KeywardCore
import KeywardCrypto
import KeywardFleet
import KeywardServer
import Logging

/// The store `[store]` asks for: the state directory's file, or PostgreSQL mirrored into it.
enum VaultStoreFactory {
    static func make(
        _ configuration: DaemonConfiguration, credentials: CredentialLookup, logger: Logger,
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
            url: settings.url, password: try password(settings, credentials: credentials), logger: logger)
        return MirroredVaultStore(
            remote: PostgresVaultStore(connector: connector, logger: logger), local: local, onReachabilityChange: onReachabilityChange)
    }

    private static func password(_ settings: PostgresStoreSettings, credentials: CredentialLookup) throws -> String? {
        guard let name = settings.passwordCredential else { return nil }
        return try PostgresConnector.password(fromFile: try credentials.storePasswordFile(name))
    }
}
