import ArgumentParser
import Foundation
import KeywardAPI
import KeywardCommandLine
import KeywardCore
import KeywardCrypto

/// `keywardctl recovery-key generate NAME`: the offline recovery key of backups. RSA-4096;
/// backups wrap the vault's data key to it with RSA-OAEP-SHA256 (OpenSSL, and unwrappable
/// with the openssl command alone). Run it on an offline machine; keep the private key off
/// the host (printed on paper, or in a safe), put the public key in the configuration.
struct RecoveryKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recovery-key", abstract: "The offline recovery key that every backup can be restored with.",
        subcommands: [Generate.self])

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "Write a new recovery key pair: NAME_private_key.pem (0600; keep it offline) and NAME_public_key.pem (for [backup]).")
        @Argument(help: "The name of the files to write.") var name: String = "recovery"
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let key = try RSAPrivateKey.generate(size: .bits4096)
            let privatePath = "\(name)_private_key.pem"
            let publicPath = "\(name)_public_key.pem"
            try KeyFiles.writePrivate(try key.exported(as: PrivateKeyFormat(.pkcs8, .pem)), to: privatePath)
            try KeyFiles.writePublic(Array(key.publicKey.pem.utf8), to: publicPath)
            let files = RecoveryKeyFiles(
                privateKeyFile: privatePath, publicKeyFile: publicPath, fingerprint: key.publicKey.fingerprint.hex,
                algorithm: "RSA-4096, data keys wrapped with RSA-OAEP-SHA256")
            if output.json { return Output.printJSON(files) }
            Output.printLine(
                """
                Wrote \(privatePath) (0600) and \(publicPath); fingerprint \(files.fingerprint).
                Keep \(privatePath) OFF this host (print it, store it in a safe; Keyward never stores it): with it, any backup restores without the master key.
                Then: install \(publicPath) as /etc/keyward/recovery.pub, set [backup] recovery_public_key_file, and systemctl reload keywardd.
                """)
        }
    }
}

/// `keywardctl backup create|verify|restore`.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Backups of the vault and its audit log, and restoring them (docs/operations.md).",
        subcommands: [Create.self, Verify.self, Restore.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Ask keywardd for a backup (consistent at one generation, audited) and write it to a file.")
        @Option(help: "The file to write (it must not exist).") var out: String?
        @Option(help: "Or a directory: the file is keyward-<UTC time>.kwbackup there.") var directory: String?
        @Option(help: "With --directory: keep only the newest N backups there (older ones are removed).") var keep: Int?
        @OptionGroup var daemon: DaemonOptions

        func validate() throws {
            guard (out == nil) != (directory == nil) else { throw ValidationError("give --out FILE or --directory DIR") }
            if let keep, keep < 1 || directory == nil { throw ValidationError("--keep N (1 or more) goes with --directory") }
        }

        func run() async throws {
            let answer = try daemon.call(Endpoints.backup, timeout: 120)
            guard let bytes = Data(base64Encoded: answer.value.archive) else {
                throw ValidationError("keywardd's backup answer is not base64")
            }
            let stamp = answer.value.manifest.createdAt.ISO8601Format().replacingOccurrences(of: ":", with: "")
            let out = self.out ?? "\(directory!)/keyward-\(stamp)-g\(answer.value.manifest.generation).kwbackup"
            try SecureFile.createExclusive(out, bytes: Array(bytes), mode: 0o600)
            if let directory, let keep { try Self.prune(directory, keep: keep) }
            daemon.show(answer) { answer in
                "Wrote \(out) (\(bytes.count) bytes): \(BackupCommand.describe(answer.manifest))"
            }
        }

        /// Removes all but the newest `keep` backups (by name: the names sort by time).
        static func prune(_ directory: String, keep: Int) throws {
            let names = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasPrefix("keyward-") && $0.hasSuffix(".kwbackup") }.sorted()
            for name in names.dropLast(keep) { try FileManager.default.removeItem(atPath: "\(directory)/\(name)") }
        }
    }

    // (Create's retention.)
    struct KeyOptions: ParsableArguments {
        @Option(help: "The recovery private key file (NAME_private_key.pem of recovery-key generate).") var recoveryKey: String?
        @Option(help: "Or the install's master key file.") var masterKeyFile: String?

        func key() throws -> BackupKey {
            switch (recoveryKey, masterKeyFile) {
            case (let path?, nil): return .recovery(try KeyFiles.privateKey(at: path))
            case (nil, let path?):
                guard let key = try MasterKeyLoader.load(credentialsDirectory: nil, keyFile: path) else {
                    throw ValidationError("\(path) holds no master key")
                }
                return .masterKey(key)
            default: throw ValidationError("give --recovery-key FILE or --master-key-file FILE (one of them)")
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify", abstract: "Check a backup without restoring it: authentic, complete, its audit chain intact.")
        @Argument(help: "The backup file.") var file: String
        @OptionGroup var keys: KeyOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let key = try keys.key()
            let opened = try BackupRestore.open(try SecureFile.read(file).withUnsafeBytes { Array($0) }, with: key)
            let result = BackupCheckResult(file: file, manifest: opened.manifest, openedWith: key.name)
            if output.json { return Output.printJSON(result) }
            Output.printLine("backup \(file) verified with the \(key.name): \(BackupCommand.describe(opened.manifest))")
        }
    }

    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restore",
            abstract: "Restore a backup into a state directory, sealed under a new master key (no daemon may hold the directory).")
        @Argument(help: "The backup file.") var file: String
        @OptionGroup var keys: KeyOptions
        @Option(help: "Where the restored vault and audit log go.") var stateDirectory: String
        @Option(help: "Seal the restored vault's new master key into this systemd credential (e.g. /etc/keyward/master-key.cred).")
        var credential: String?
        @Option(help: "With --credential: systemd-creds --with-key (auto, host, tpm2, host+tpm2).") var withKey = "auto"
        @Option(help: "Without --credential: where to write the new master key (must not exist).") var newMasterKeyFile: String?
        @Flag(help: "Restore over a newer vault of the same install (audited).") var force = false
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard (credential == nil) != (newMasterKeyFile == nil) else {
                throw ValidationError("give --credential FILE (a systemd credential) or --new-master-key-file FILE for the new master key")
            }
        }

        func run() async throws {
            let key = try keys.key()
            let opened = try BackupRestore.open(try SecureFile.read(file).withUnsafeBytes { Array($0) }, with: key)
            try BackupRestore.preflight(opened, into: stateDirectory, force: force)
            let newKey = try opened.newMasterKey()
            // The key is stored first: a restored vault is never left without its key.
            if let credential {
                try CredentialEncryptor(sealingKey: withKey).seal(newKey, to: credential)
            } else if let newMasterKeyFile {
                guard !FileManager.default.fileExists(atPath: newMasterKeyFile) else {
                    throw BackupError(
                        code: .fileExists, message: "\(newMasterKeyFile) exists already",
                        hint: "name a new file for the restored vault's master key (it is written, never overwritten)")
                }
                try MasterKeyLoader.write(newKey, to: newMasterKeyFile)
            }
            try BackupRestore.restore(opened, openedWith: key, into: stateDirectory, masterKey: newKey, force: force)
            let destination = credential ?? newMasterKeyFile ?? ""
            let result = BackupCheckResult(
                file: file, manifest: opened.manifest, openedWith: key.name, stateDirectory: stateDirectory, masterKeyFile: destination)
            if output.json { return Output.printJSON(result) }
            Output.printLine(
                """
                Restored \(file) into \(stateDirectory): \(BackupCommand.describe(opened.manifest))
                """
                    + (credential != nil
                        ? "The new master key is sealed into \(destination). Give the state directory to the daemon's user (chown -R keyward:keyward \(stateDirectory)) and start keywardd."
                        : "The new master key is \(destination) (0600): point master_key_file at it, or seal it with systemd-creds encrypt --name=keyward-master-key \(destination) /etc/keyward/master-key.cred and shred it; then start keywardd.")
            )
        }
    }

    static func describe(_ manifest: BackupManifest) -> String {
        let modes = Mode.allCases.map { mode -> String in
            guard let summary = manifest.modes[mode], let version = summary.version else { return "\(mode) no key set" }
            return "\(mode) v\(version)\(summary.active ? "" : " (inactive)")"
        }
        return
            "install \(manifest.installID), generation \(manifest.generation), made \(Output.time(manifest.createdAt)) by Keyward \(manifest.keywardVersion); \(modes.joined(separator: ", ")); \(manifest.auditEntries) audit entries"
    }
}
