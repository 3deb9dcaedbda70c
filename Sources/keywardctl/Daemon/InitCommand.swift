import ArgumentParser
import Foundation
import KeywardAPI
import KeywardCommandLine
import KeywardConfiguration
import KeywardCore
import KeywardCrypto

/// `keywardctl init`: a new install's master key and empty vault, before keywardd first starts.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the master key and an empty vault for a new install.",
        discussion: """
            With --credential, seals the new master key into the systemd credential that \
            keywardd.service loads (systemd-creds encrypt, key fed on standard input: the plain \
            key never touches the disk). Otherwise writes it to --master-key-file (mode 0600, \
            never over an existing file), for master_key_file in keywardd.toml. Then creates the \
            vault in --state-directory.
            """
    )

    @Option(help: "The daemon's state directory (created with mode 0700 if missing).")
    var stateDirectory = KeywardPaths.stateDirectory

    @Option(help: "Seal the master key into this systemd credential (e.g. /etc/keyward/master-key.cred).")
    var credential: String?

    @Option(help: "With --credential: systemd-creds --with-key (auto, host, tpm2, host+tpm2). Use host without a TPM.")
    var withKey = "auto"

    @Option(help: "Without --credential: where to write the new master key.")
    var masterKeyFile = KeywardPaths.masterKeyFile

    @OptionGroup var output: OutputOptions

    func run() async throws {
        let encryptor = try credential.map { _ in try CredentialEncryptor(sealingKey: withKey) }
        try FileManager.default.createDirectory(
            atPath: stateDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if FileManager.default.fileExists(atPath: "\(stateDirectory)/\(FileVaultStore.vaultFileName)") {
            throw VaultError(
                code: .exists,
                message: "\(stateDirectory) already holds a vault",
                hint: "keywardctl init is for a new install; to change the master key use keywardctl vault rekey"
            )
        }
        let masterKey = try MasterKey.generate()
        let keyDestination: String
        if let credential, let encryptor {
            try encryptor.seal(masterKey, to: credential)
            keyDestination = credential
        } else {
            try MasterKeyLoader.write(masterKey, to: masterKeyFile)
            keyDestination = masterKeyFile
        }
        do {
            let vault = try await Vault.open(
                store: try FileVaultStore(directory: stateDirectory),
                unlock: .masterKey(masterKey),
                auditLogPath: StateDirectory(stateDirectory).auditLog,
                create: true
            )
            let installID = await vault.installID
            let result = InitResult(
                installID: installID.hex, masterKeyFile: credential == nil ? masterKeyFile : nil, credential: credential,
                vault: "\(stateDirectory)/\(FileVaultStore.vaultFileName)")
            if output.json { return Output.printJSON(result) }
            let next =
                credential == nil
                ? """
                Next: seal the key for systemd and remove the plain file (or set master_key_file in keywardd.toml):
                  systemd-creds encrypt --name=keyward-master-key \(masterKeyFile) /etc/keyward/master-key.cred && shred -u \(masterKeyFile)
                """
                : "keywardd.service loads it with LoadCredentialEncrypted=keyward-master-key:\(keyDestination)."
            Output.printLine(
                """
                Created install \(installID.hex):
                  master key: \(keyDestination)\(credential == nil ? " (mode 0600)" : " (systemd credential, \(withKey))")
                  vault:      \(result.vault)
                \(next)
                Then chown -R keyward:keyward \(stateDirectory) and systemctl enable --now keywardd.socket
                """)
        } catch {
            // No half-made install: without a vault, the key (file or credential) is useless.
            unlink(keyDestination)
            throw error
        }
    }
}
