import ArgumentParser
import Foundation
import KeywardCore
import KeywardCrypto
import KeywardFleet
import KeywardServer
import Logging

/// Where the store is: the daemon's configuration file, and the password.
struct StoreOptions: ParsableArguments {
    @Option(help: "keywardd's configuration, whose [store] names the PostgreSQL store.")
    var config = "/etc/keyward/keywardd.toml"

    @Option(help: "A file holding the store password (default: $CREDENTIALS_DIRECTORY/<password_credential>).")
    var passwordFile: String?

    /// The configuration and a connector to its PostgreSQL store.
    func connector() throws -> (DaemonConfiguration, PostgresConnector) {
        let configuration = try DaemonConfiguration.load(path: config)
        guard case .postgres(let settings) = configuration.store else {
            throw StoreError(
                code: "store.not-postgres", message: "\(config) keeps the vault in files ([store] kind = \"file\")",
                hint: "set [store] kind = \"postgres\" and url = … first (see docs/fleet.md)")
        }
        var password: String?
        if let passwordFile {
            password = try PostgresConnector.password(fromFile: passwordFile)
        } else if let name = settings.passwordCredential {
            guard let directory = ProcessInfo.processInfo.environment["CREDENTIALS_DIRECTORY"] else {
                throw StoreError(
                    code: "store.password-missing", message: "[store] password_credential = \"\(name)\" and no --password-file",
                    hint: "pass --password-file FILE, or run under systemd-run -p LoadCredentialEncrypted=\(name):…")
            }
            password = try PostgresConnector.password(fromFile: "\(directory)/\(name)")
        }
        var logger = Logger(label: "keywardctl")
        logger.logLevel = .critical
        return (configuration, PostgresConnector(url: settings.url, password: password, logger: logger))
    }
}
