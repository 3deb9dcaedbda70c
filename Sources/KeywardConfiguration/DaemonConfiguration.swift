public import Foundation
import Glibc
public import KeywardCore
import KeywardCrypto

/// Everything keywardd.toml says, with the defaults of etc/keyward/keywardd.toml.
public struct DaemonConfiguration: Sendable, Equatable {
    public var socketPath = KeywardPaths.socket
    public var socketPermissions: UInt32 = 0o660
    public var socketGroup: UInt32?
    public var stateDirectory = KeywardPaths.stateDirectory
    public var masterKeyFile: String?
    public var logLevel = "info"
    public var limits = ServerLimits()
    public var rotation = RotationPolicy()
    /// When each mode's key set comes due, and what Keyward does then.
    public var lifecycle = LifecyclePolicies()
    /// The command run when something comes due (`[alerts]`).
    public var alerts = AlertSettings()
    /// The public half of the offline recovery key every backup's data key is wrapped to
    /// (`[backup] recovery_public_key_file`); nil: backups are refused.
    public var recoveryPublicKeyFile: String?
    /// With a recovery key configured: how long without a backup before status, STATUS= and
    /// the journal warn (`[backup] warn_after_hours`, 36: a daily timer may miss once).
    public var backupWarnAfter: TimeInterval = 36 * 3600
    public var access: AccessPolicy
    public var store = StoreConfiguration.file

    public init(daemonUID: UInt32 = getuid()) {
        access = AccessPolicy(
            test: .init(exportPrivateKey: true),
            live: .init(exportPrivateKey: false),
            daemonUID: daemonUID
        )
    }

    /// Reads and checks the file at `path`.
    public static func load(path: String, daemonUID: UInt32 = getuid()) throws -> DaemonConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(
                code: .unreadable, message: "cannot read the configuration \(path)",
                hint: "check the path and its permissions, or run keywardd --dev for a local instance")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(code: .invalid, message: "\(path) is not UTF-8 text", hint: "save it as UTF-8")
        }
        return try parse(text, source: path, daemonUID: daemonUID)
    }

    /// Parses configuration text; `source` names it in errors. Every key is read through
    /// `ConfigurationSchema.keys`, the one description of what the file may say.
    public static func parse(_ text: String, source: String, daemonUID: UInt32 = getuid()) throws -> DaemonConfiguration {
        let document = try TOMLSubset(parsing: text, source: source)
        try ConfigurationSchema.checkNames(document, source: source)
        var draft = ConfigurationDraft(configuration: DaemonConfiguration(daemonUID: daemonUID))
        let reader = ConfigurationReader(document: document, source: source)
        for key in ConfigurationSchema.keys {
            guard let entry = reader.entry(key.table, key.name) else { continue }
            try key.apply(&draft, entry.value, ConfigurationReader.Place(reader: reader, table: key.table, key: key.name))
        }
        try draft.finishStore(reader)
        return draft.configuration
    }

    static func groupID(_ name: String) -> UInt32? {
        if let number = UInt32(name) { return number }
        var entry = group()
        var buffer = [CChar](repeating: 0, count: 4096)
        var found: UnsafeMutablePointer<group>? = nil
        guard getgrnam_r(name, &entry, &buffer, buffer.count, &found) == 0, found != nil else { return nil }
        return entry.gr_gid
    }

    static func userID(_ name: String) -> UInt32? {
        if let number = UInt32(name) { return number }
        var entry = passwd()
        var buffer = [CChar](repeating: 0, count: 4096)
        var found: UnsafeMutablePointer<passwd>? = nil
        guard getpwnam_r(name, &entry, &buffer, buffer.count, &found) == 0, found != nil else { return nil }
        return entry.pw_uid
    }
}

/// The configuration being read, and the `[store]` keys, which are checked together once
/// every key has been read.
struct ConfigurationDraft {
    var configuration: DaemonConfiguration
    var storeKind: String?
    var storeURL: String?
    var passwordCredential: String?
    var pollInterval: Int?

    mutating func finishStore(_ reader: ConfigurationReader) throws {
        switch storeKind ?? "file" {
        case "file":
            for key in ["url", "password_credential", "poll_interval_seconds"] where reader.entry("store", key) != nil {
                throw reader.bad("store", key, "applies only to kind = \"postgres\"")
            }
            configuration.store = .file
        case "postgres":
            guard let text = storeURL else {
                throw reader.bad("store", "kind", "is \"postgres\", so [store] needs url = \"postgresql://USER@HOST:PORT/DATABASE\"")
            }
            let url: PostgresURL
            do {
                url = try PostgresURL(parsing: text)
            } catch let error as StoreError {
                throw reader.bad("store", "url", "is not usable: \(error.message) (\(error.hint))")
            }
            configuration.store = .postgres(
                PostgresStoreSettings(url: url, passwordCredential: passwordCredential, pollInterval: .seconds(pollInterval ?? 5)))
        case let other:
            throw reader.bad("store", "kind", "must be \"file\" or \"postgres\", not \"\(other)\"")
        }
    }
}
