import ArgumentParser
import Foundation
import KeywardCommandLine
import KeywardConfiguration
import KeywardCore
import KeywardCrypto
import KeywardFleet
import Logging

/// Where the store is: the daemon's configuration file, and the password.
struct StoreOptions: ParsableArguments {
    @Option(help: "keywardd's configuration, whose [store] names the PostgreSQL store.")
    var config = KeywardPaths.configuration

    @Option(help: "A file holding the store password (default: $CREDENTIALS_DIRECTORY/<password_credential>).")
    var passwordFile: String?

    /// The configuration and a connector to its PostgreSQL store.
    func connector() throws -> (DaemonConfiguration, PostgresConnector) {
        let configuration = try DaemonConfiguration.load(path: config)
        guard case .postgres(let settings) = configuration.store else {
            throw StoreError(
                code: .notPostgres, message: "\(config) keeps the vault in files ([store] kind = \"file\")",
                hint: "set [store] kind = \"postgres\" and url = … first (see docs/fleet.md)")
        }
        var password: String?
        if let passwordFile {
            password = try PostgresConnector.password(fromFile: passwordFile)
        } else if let name = settings.passwordCredential {
            password = try PostgresConnector.password(fromFile: try CredentialLookup().storePasswordFile(name))
        }
        var logger = Logger(label: "keyward-store")
        logger.logLevel = .critical
        return (configuration, PostgresConnector(url: settings.url, password: password, logger: logger))
    }
}
