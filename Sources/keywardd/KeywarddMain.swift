import Foundation
import KeywardCore
import KeywardServer
import KeywardSystemd
import Logging

/// keywardd: the Keyward daemon.
///
///     keywardd [--config PATH]      production: /etc/keyward/keywardd.toml by default
///     keywardd --dev [DIR]          a local instance on DIR (default ./dev-state), no root
///     keywardd --check-config PATH  read and check a configuration, then exit
///     keywardd --version
///
/// Exit status: 0 after a clean stop, 1 when the vault or socket cannot be opened, 2 for bad
/// arguments, 78 (EX_CONFIG) for a bad configuration.
@main
enum KeywarddMain {
    static let version = "0.1.0"

    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let options: Options
        do {
            options = try Options(arguments)
        } catch {
            FileHandle.standardError.write(
                Data("keywardd: \(error)\nusage: keywardd [--config PATH] | --dev [DIR] | --check-config PATH | --version\n".utf8))
            exit(2)
        }
        switch options.command {
        case .version:
            print("keywardd \(version)")
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

/// The command line.
struct Options {
    enum Command {
        case version
        case checkConfig(String)
        case run(ConfigurationSource)
    }

    let command: Command

    struct UsageError: Error, CustomStringConvertible {
        let description: String
    }

    init(_ arguments: [String]) throws {
        switch arguments.first {
        case nil: command = .run(.file("/etc/keyward/keywardd.toml"))
        case "--version": command = .version
        case "--config":
            guard arguments.count == 2 else { throw UsageError(description: "--config takes one path") }
            command = .run(.file(arguments[1]))
        case "--check-config":
            guard arguments.count == 2 else { throw UsageError(description: "--check-config takes one path") }
            command = .checkConfig(arguments[1])
        case "--dev":
            guard arguments.count <= 2 else { throw UsageError(description: "--dev takes at most one directory") }
            command = .run(.development(directory: arguments.count == 2 ? arguments[1] : "dev-state"))
        case let other?:
            throw UsageError(description: "unknown argument '\(other)'")
        }
    }
}

/// Where the configuration comes from.
enum ConfigurationSource {
    case file(String)
    /// The embedded default: everything under one local directory.
    case development(directory: String)
}
