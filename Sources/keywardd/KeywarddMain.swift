import ArgumentParser
import Foundation
import KeywardConfiguration
import KeywardCore
import KeywardServer
import KeywardSystemd
import Logging

/// keywardd: the Keyward daemon. Exit status: 0 after a clean stop, 1 when the vault or
/// socket cannot be opened, 2 for bad arguments, 78 (EX_CONFIG) for a bad configuration.
struct KeywarddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keywardd",
        abstract: "The Keyward daemon: keeps Alipay / Alipay+ key sets in an encrypted vault and serves them over a Unix socket.",
        discussion: """
            With no option, runs on /etc/keyward/keywardd.toml (as systemd starts it). Exit status: 0 after a \
            clean stop, 1 when the vault or socket cannot be opened, 2 for bad arguments, 78 for a bad configuration.

            Signals: SIGHUP re-reads the configuration (systemctl reload keywardd); SIGTERM and SIGINT stop \
            accepting, answer the requests in flight and exit. Files: /etc/keyward/keywardd.toml \
            (keywardd.toml(5)), the vault and audit log in /var/lib/keyward, the master key from the systemd \
            credential keyward-master-key (/etc/keyward/master-key.cred), the socket /run/keyward/keyward.sock \
            (keywardd.socket). Operators use keywardctl(1); the documents are in /usr/share/doc/keyward.
            """,
        version: "keywardd \(KeywardVersion.current)"
    )

    @Option(help: ArgumentHelp("Run on this configuration file.", valueName: "path"))
    var config: String?

    @Flag(help: "Run a local instance on DIRECTORY (default ./dev-state): its own vault, throwaway master key and socket, no root.")
    var dev = false

    @Argument(help: ArgumentHelp("With --dev: the directory of the local instance.", valueName: "directory"))
    var directory: String?

    @Option(help: ArgumentHelp("Read and check a configuration file, then exit (78 if it is not valid).", valueName: "path"))
    var checkConfig: String?

    func validate() throws {
        let chosen = [config != nil, dev, checkConfig != nil].filter { $0 }.count
        guard chosen <= 1 else { throw ValidationError("give one of --config, --dev and --check-config") }
        if directory != nil && !dev { throw ValidationError("a directory is taken only with --dev") }
    }

    /// What to do, from the options.
    var command: Command {
        if let checkConfig { return .checkConfig(checkConfig) }
        if dev { return .run(.development(directory: directory ?? "dev-state")) }
        return .run(.file(config ?? KeywardPaths.configuration))
    }

    enum Command {
        case checkConfig(String)
        case run(ConfigurationSource)
    }
}

@main
enum KeywarddMain {

    static func main() async {
        let options: KeywarddCommand
        do {
            options = try KeywarddCommand.parse()
        } catch {
            // --help and --version print and exit 0; a usage error says what was wrong, exit 2.
            let status = KeywarddCommand.exitCode(for: error)
            if status == .success {
                KeywarddCommand.exit(withError: error)
            }
            FileHandle.standardError.write(
                Data("keywardd: \(KeywarddCommand.message(for: error))\n\(KeywarddCommand.usageString())\n".utf8))
            exit(2)
        }
        switch options.command {
        case .checkConfig(let path):
            do {
                _ = try DaemonConfiguration.load(path: path)
                print("keywardd: \(path) is valid")
            } catch {
                FileHandle.standardError.write(Data("keywardd: \(error)\n".utf8))
                exit(78)
            }
        case .run(let source):
            exit(await Daemon.run(source))
        }
    }
}

/// Where the configuration comes from.
enum ConfigurationSource {
    case file(String)
    /// The embedded default: everything under one local directory.
    case development(directory: String)
}
