import ArgumentParser
import Foundation
import KeywardAPI
import KeywardCommandLine
import KeywardConfiguration
import KeywardCore
import KeywardCrypto
import KeywardFleet
import Logging

/// `keywardctl store push`: gives an empty fleet store its first vault (from `keywardctl
/// init` or a single host's state directory). Never over a vault already there.
struct StorePushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Upload a vault file as the fleet store's first vault (refused if the store already holds one)."
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "The vault to upload (default: vault.kwv in the configuration's state directory).")
    var vault: String?

    @OptionGroup var output: OutputOptions

    func run() async throws {
        let (configuration, connector) = try store.connector()
        let path = vault ?? "\(configuration.stateDirectory)/\(FileVaultStore.vaultFileName)"
        let bytes = try SecureFile.read(path).withUnsafeBytes { Array($0) }
        let info = try VaultFileInfo(bytes)
        let remote = PostgresVaultStore(connector: connector, logger: Logger(label: "keyward-store"))
        do {
            try await remote.save(bytes, generation: info.generation, replacing: nil)
        } catch let error as StoreError where error.kind == .conflict {
            await remote.close()
            throw StoreError(
                code: .notEmpty, message: "\(connector.url) already holds a vault; nothing was uploaded",
                hint: "a fleet has one vault: point this node at the store and let it load that one")
        } catch {
            await remote.close()
            throw error
        }
        await remote.close()
        if output.json {
            return Output.printJSON(
                StorePushResult(store: connector.url.description, installID: info.installID.hex, generation: info.generation))
        }
        Output.printLine("Uploaded \(path) (install \(info.installID.hex), generation \(info.generation)) to \(connector.url).")
    }
}
