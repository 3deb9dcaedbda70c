import Glibc
import KeywardCrypto

/// Finds the master key in the order DESIGN.md gives: the systemd credential
/// (`$CREDENTIALS_DIRECTORY/keyward-master-key`), then a key file named in the config.
public enum MasterKeyLoader {
    /// The credential's name in `LoadCredentialEncrypted=`.
    public static let credentialName = "keyward-master-key"

    /// The master key from the credential directory if it has one, else from `keyFile`;
    /// nil if neither is given.
    public static func load(credentialsDirectory: String?, keyFile: String?) throws -> MasterKey? {
        if let credentialsDirectory {
            let path = "\(credentialsDirectory)/\(credentialName)"
            if access(path, F_OK) == 0 {
                return try MasterKey(parsing: try SecureFile.read(path), source: "the credential \(path)")
            }
        }
        guard let keyFile else { return nil }
        try checkKeyFile(keyFile)
        return try MasterKey(parsing: try SecureFile.read(keyFile), source: keyFile)
    }

    /// A key file must be a regular file, owned by this process's user, with no access for
    /// group or others.
    public static func checkKeyFile(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw VaultError(
                code: .masterKeyMissing,
                message: "the master key file \(path) cannot be read: \(String(cString: strerror(errno)))",
                hint: "create it with keywardctl init, or fix master_key_file in the configuration"
            )
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw VaultError(
                code: .masterKeyNotFile, message: "the master key path \(path) is not a regular file",
                hint: "point it at the key file")
        }
        guard info.st_uid == geteuid() else {
            throw VaultError(
                code: .masterKeyOwner,
                message: "the master key file \(path) belongs to uid \(info.st_uid), not to this daemon's uid \(geteuid())",
                hint: "chown it to the daemon's user"
            )
        }
        guard info.st_mode & 0o077 == 0 else {
            throw VaultError(
                code: .masterKeyPermissions,
                message: "the master key file \(path) has mode \(String(info.st_mode & 0o777, radix: 8)); group and others may read it",
                hint: "chmod 600 \(path) (and consider rotating the master key: keywardctl vault rekey)"
            )
        }
    }

    /// Writes a new master key file with mode 0600; never over an existing file.
    public static func write(_ key: MasterKey, to path: String) throws {
        try key.serialized().withUnsafeBytes { try SecureFile.createExclusive(path, contents: $0, mode: 0o600) }
    }
}
