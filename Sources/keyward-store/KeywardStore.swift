import ArgumentParser
import KeywardAPI
import KeywardCommandLine

/// `keyward-store`: prepares the PostgreSQL store of a fleet. A separate program so that
/// `keywardctl`, the tool every operator runs, links no networking stack: `keywardctl store …`
/// runs this one (installed in libexec/keyward).
struct KeywardStore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keyward-store",
        abstract: "Prepare the PostgreSQL store of a fleet ([store] kind = \"postgres\").",
        discussion: "Run through keywardctl store …. Exit status: 0 success; 2 an error.",
        version: KeywardVersion.current,
        subcommands: [StoreMigrateCommand.self, StorePushCommand.self]
    )
}

@main
enum KeywardStoreMain {
    static func main() async {
        await CommandLineMain.run(KeywardStore.self, arguments: Array(CommandLine.arguments.dropFirst()))
    }
}
