import ArgumentParser

/// `keywardctl store …`: the fleet's PostgreSQL store.
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Prepare the PostgreSQL store of a fleet ([store] kind = \"postgres\").",
        subcommands: [StoreMigrateCommand.self, StorePushCommand.self]
    )
}
