import ArgumentParser
import Foundation
import KeywardCore
import KeywardCrypto

/// `keywardctl init`: a new install's master key and empty vault, before keywardd first starts.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the master key and an empty vault for a new install.",
        discussion: """
            Writes the master key to --master-key-file (mode 0600, never over an existing file) \
            and creates the vault in --state-directory. For systemd, encrypt the key into the \
            credential the unit loads, then delete the plain file:
              systemd-creds encrypt --name=keyward-master-key KEYFILE /etc/keyward/master-key.cred
            (add --with-key=host on hosts without a TPM).
            """
    )

    @Option(help: "The daemon's state directory (created with mode 0700 if missing).")
    var stateDirectory = "/var/lib/keyward"

    @Option(help: "Where to write the new master key.")
    var masterKeyFile = "/etc/keyward/master.key"

    @OptionGroup var output: OutputOptions

    func run() async throws {
        try FileManager.default.createDirectory(
            atPath: stateDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if FileManager.default.fileExists(atPath: "\(stateDirectory)/\(FileVaultStore.vaultFileName)") {
            throw VaultError(
                code: "vault.exists",
                message: "\(stateDirectory) already holds a vault",
                hint: "keywardctl init is for a new install; to change the master key use keywardctl vault rekey"
            )
        }
        let masterKey = try MasterKey.generate()
        try MasterKeyLoader.write(masterKey, to: masterKeyFile)
        do {
            let vault = try await Vault.open(
                store: try FileVaultStore(directory: stateDirectory),
                unlock: .masterKey(masterKey),
                auditLogPath: "\(stateDirectory)/audit.log",
                create: true
            )
            let installID = await vault.installID
            struct Result: Encodable {
                let installID: String
                let masterKeyFile: String
                let vault: String
            }
            let result = Result(
                installID: installID.hex, masterKeyFile: masterKeyFile, vault: "\(stateDirectory)/\(FileVaultStore.vaultFileName)")
            if output.json { return Output.printJSON(result) }
            Output.printLine(
                """
                Created install \(installID.hex):
                  master key: \(masterKeyFile) (mode 0600)
                  vault:      \(result.vault)
                Next: encrypt the master key for systemd and remove the plain file, or set master_key_file in keywardd.toml:
                  systemd-creds encrypt --name=keyward-master-key \(masterKeyFile) /etc/keyward/master-key.cred && shred -u \(masterKeyFile)
                Then chown -R keyward:keyward \(stateDirectory) and systemctl enable --now keywardd.socket
                """)
        } catch {
            // No half-made install: without a vault, the key file is useless.
            unlink(masterKeyFile)
            throw error
        }
    }
}
