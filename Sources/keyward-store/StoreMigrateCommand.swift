import ArgumentParser
import KeywardAPI
import KeywardCommandLine
import KeywardConfiguration
import KeywardCore
import KeywardFleet
import Logging

/// `keywardctl store migrate`: creates or upgrades the store's schema; safe to repeat.
struct StoreMigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or upgrade the Keyward tables in the PostgreSQL store (idempotent, versioned)."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let (_, connector) = try store.connector()
        let result = try await StoreSchema.migrate(using: connector, logger: Logger(label: "keyward-store"))
        if output.json {
            return Output.printJSON(StoreMigrateResult(store: connector.url.description, fromVersion: result.from, toVersion: result.to))
        }
        Output.printLine(
            result.from == result.to
                ? "\(connector.url): schema version \(result.to), up to date."
                : "\(connector.url): schema version \(result.from) → \(result.to).")
    }
}
