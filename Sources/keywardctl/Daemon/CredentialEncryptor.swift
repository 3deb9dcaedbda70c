import Foundation
import KeywardCore
import KeywardCrypto

/// Seals a master key into a systemd credential with `systemd-creds encrypt`, feeding the key
/// on standard input: the plain key never touches the disk.
struct CredentialEncryptor {
    /// The `--with-key=` choices of systemd-creds that make sense for a daemon's credential.
    static let sealingKeys = ["auto", "host", "tpm2", "host+tpm2"]

    let sealingKey: String

    init(sealingKey: String) throws {
        guard Self.sealingKeys.contains(sealingKey) else {
            throw VaultError(
                code: .credentialBadSealingKey,
                message: "--with-key \(sealingKey) is not one of \(Self.sealingKeys.joined(separator: ", "))",
                hint: "use host on hosts without a TPM, tpm2 or host+tpm2 with one, auto to let systemd-creds choose"
            )
        }
        self.sealingKey = sealingKey
    }

    /// Writes the credential to `path` (never over an existing file).
    func seal(_ key: MasterKey, to path: String) throws {
        if FileManager.default.fileExists(atPath: path) {
            throw VaultError(
                code: .credentialExists, message: "\(path) already exists",
                hint: "a credential of another install would be lost: move it away first, or choose another --credential path")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "systemd-creds", "encrypt", "--name=\(MasterKeyLoader.credentialName)", "--with-key=\(sealingKey)", "-", path,
        ]
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw VaultError(
                code: .credentialNoSystemdCreds, message: "cannot run systemd-creds: \(error.localizedDescription)",
                hint: "install systemd (systemd-creds), or write a key file with --master-key-file and set master_key_file")
        }
        // Straight from the locked secret buffer into the pipe, without a Foundation copy.
        let descriptor = input.fileHandleForWriting.fileDescriptor
        key.serialized().withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { break }
                offset += written
            }
        }
        try? input.fileHandleForWriting.close()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            unlink(path)
            throw VaultError(
                code: .credentialEncryptFailed,
                message:
                    "systemd-creds encrypt failed (\(process.terminationStatus)): \(message.trimmingCharacters(in: .whitespacesAndNewlines))",
                hint: sealingKey == "auto" || sealingKey.contains("tpm2")
                    ? "without a TPM, use --with-key host"
                    : "run keywardctl init as root: systemd-creds reads or creates the host key /var/lib/systemd/credential.secret")
        }
    }
}
