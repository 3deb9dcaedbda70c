public import Foundation
import Glibc
public import KeywardCore
import KeywardCrypto

/// Everything keywardd.toml says, with the defaults of etc/keyward/keywardd.toml.
public struct DaemonConfiguration: Sendable, Equatable {
    public var socketPath = "/run/keyward/keyward.sock"
    public var socketPermissions: UInt32 = 0o660
    public var socketGroup: UInt32?
    public var stateDirectory = "/var/lib/keyward"
    public var masterKeyFile: String?
    public var logLevel = "info"
    public var limits = ServerLimits()
    public var rotation = RotationPolicy()
    public var access: AccessPolicy
    public var store = StoreConfiguration.file

    public init(daemonUID: UInt32 = getuid()) {
        access = AccessPolicy(
            test: .init(exportPrivateKey: true),
            live: .init(exportPrivateKey: false),
            daemonUID: daemonUID
        )
    }

    /// The keys each table accepts; anything else is an error naming the line.
    static let schema: [String: Set<String>] = [
        "daemon": ["socket", "socket_mode", "socket_group", "state_directory", "master_key_file", "log_level"],
        "limits": [
            "max_body_bytes", "request_timeout_seconds", "idle_timeout_seconds", "max_wait_seconds", "drain_timeout_seconds",
            "max_connections",
        ],
        "rotation": ["grace_window_hours", "pending_lifetime_days", "history_limit"],
        "store": ["kind", "url", "password_credential", "poll_interval_seconds"],
        "mode.test": ["export_private_key", "readers", "signers", "operators"],
        "mode.live": ["export_private_key", "readers", "signers", "operators"],
    ]

    /// Reads and checks the file at `path`.
    public static func load(path: String, daemonUID: UInt32 = getuid()) throws -> DaemonConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(
                code: "config.unreadable", message: "cannot read the configuration \(path)",
                hint: "check the path and its permissions, or run keywardd --dev for a local instance")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(code: "config.invalid", message: "\(path) is not UTF-8 text", hint: "save it as UTF-8")
        }
        return try parse(text, source: path, daemonUID: daemonUID)
    }

    /// Parses configuration text; `source` names it in errors.
    public static func parse(_ text: String, source: String, daemonUID: UInt32 = getuid()) throws -> DaemonConfiguration {
        let document = try TOMLSubset(parsing: text, source: source)
        var config = DaemonConfiguration(daemonUID: daemonUID)
        for (table, entries) in document.tables {
            if table.isEmpty {
                if let (key, entry) = entries.first {
                    throw ConfigurationError.at(source, entry.line, "'\(key)' must be inside a table such as [daemon]")
                }
                continue
            }
            guard let known = schema[table] else {
                throw ConfigurationError.at(
                    source, document.tableLines[table] ?? 0,
                    "unknown table [\(table)]; known tables: \(schema.keys.sorted().map { "[\($0)]" }.joined(separator: ", "))")
            }
            for (key, entry) in entries.sorted(by: { $0.value.line < $1.value.line }) where !known.contains(key) {
                throw ConfigurationError.at(
                    source, entry.line, "unknown key '\(key)' in [\(table)]; known keys: \(known.sorted().joined(separator: ", "))")
            }
        }
        let reader = Reader(document: document, source: source)

        config.socketPath = try reader.string("daemon", "socket") ?? config.socketPath
        if let mode = try reader.string("daemon", "socket_mode") {
            guard let value = UInt32(mode, radix: 8), value <= 0o777 else {
                throw reader.bad("daemon", "socket_mode", "must be an octal mode such as \"0660\"")
            }
            config.socketPermissions = value
        }
        if let group = try reader.string("daemon", "socket_group"), !group.isEmpty {
            guard let gid = Self.groupID(group) else {
                throw reader.bad("daemon", "socket_group", "names no group on this host: '\(group)'")
            }
            config.socketGroup = gid
        }
        config.stateDirectory = try reader.string("daemon", "state_directory") ?? config.stateDirectory
        if let keyFile = try reader.string("daemon", "master_key_file"), !keyFile.isEmpty { config.masterKeyFile = keyFile }
        if let level = try reader.string("daemon", "log_level") {
            guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(level) else {
                throw reader.bad("daemon", "log_level", "must be one of trace, debug, info, notice, warning, error, critical")
            }
            config.logLevel = level
        }

        config.limits.maxBodyBytes = try reader.integer("limits", "max_body_bytes", in: 1024...(16 << 20)) ?? config.limits.maxBodyBytes
        if let seconds = try reader.integer("limits", "request_timeout_seconds", in: 1...600) {
            config.limits.requestTimeout = .seconds(seconds)
        }
        if let seconds = try reader.integer("limits", "idle_timeout_seconds", in: 1...86_400) {
            config.limits.idleTimeout = .seconds(seconds)
        }
        if let seconds = try reader.integer("limits", "max_wait_seconds", in: 1...3_600) { config.limits.maxWait = .seconds(seconds) }
        if let seconds = try reader.integer("limits", "drain_timeout_seconds", in: 0...600) {
            config.limits.drainTimeout = .seconds(seconds)
        }
        config.limits.maxConnections = try reader.integer("limits", "max_connections", in: 1...1_000_000) ?? config.limits.maxConnections

        if let hours = try reader.integer("rotation", "grace_window_hours", in: 0...(24 * 90)) {
            config.rotation.graceWindow = TimeInterval(hours) * 3600
        }
        if let days = try reader.integer("rotation", "pending_lifetime_days", in: 1...365) {
            config.rotation.pendingLifetime = TimeInterval(days) * 86_400
        }
        config.rotation.historyLimit = try reader.integer("rotation", "history_limit", in: 1...100_000) ?? config.rotation.historyLimit

        config.store = try storeConfiguration(reader)

        for mode in Mode.allCases {
            let table = "mode.\(mode)"
            var access = config.access[mode]
            access.exportPrivateKey = try reader.boolean(table, "export_private_key") ?? access.exportPrivateKey
            access.readers = try reader.principals(table, "readers")
            access.signers = try reader.principals(table, "signers")
            access.operators = try reader.principals(table, "operators")
            if mode == .test { config.access.test = access } else { config.access.live = access }
        }
        return config
    }

    private static func storeConfiguration(_ reader: Reader) throws -> StoreConfiguration {
        switch try reader.string("store", "kind") ?? "file" {
        case "file":
            for key in ["url", "password_credential", "poll_interval_seconds"] where reader.entry("store", key) != nil {
                throw reader.bad("store", key, "applies only to kind = \"postgres\"")
            }
            return .file
        case "postgres":
            guard let text = try reader.string("store", "url") else {
                throw reader.bad("store", "kind", "is \"postgres\", so [store] needs url = \"postgresql://USER@HOST:PORT/DATABASE\"")
            }
            let url: PostgresURL
            do {
                url = try PostgresURL(parsing: text)
            } catch let error as StoreError {
                throw reader.bad("store", "url", "is not usable: \(error.message) (\(error.hint))")
            }
            let credential = try reader.string("store", "password_credential")
            if let credential, credential.isEmpty || credential.contains("/") {
                throw reader.bad("store", "password_credential", "must be a credential name such as \"keyward-store-password\"")
            }
            let poll = try reader.integer("store", "poll_interval_seconds", in: 1...3_600) ?? 5
            return .postgres(PostgresStoreSettings(url: url, passwordCredential: credential, pollInterval: .seconds(poll)))
        case let other:
            throw reader.bad("store", "kind", "must be \"file\" or \"postgres\", not \"\(other)\"")
        }
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

    /// Typed access to the parsed document, with errors that name the key and its line.
    struct Reader {
        let document: TOMLSubset
        let source: String

        func entry(_ table: String, _ key: String) -> TOMLSubset.Entry? { document.tables[table]?[key] }

        func bad(_ table: String, _ key: String, _ problem: String) -> ConfigurationError {
            ConfigurationError.at(source, entry(table, key)?.line ?? 0, "[\(table)] \(key) \(problem)")
        }

        func string(_ table: String, _ key: String) throws -> String? {
            guard let entry = entry(table, key) else { return nil }
            guard case .string(let value) = entry.value else { throw bad(table, key, "must be a string, not \(entry.value.typeName)") }
            return value
        }

        func boolean(_ table: String, _ key: String) throws -> Bool? {
            guard let entry = entry(table, key) else { return nil }
            guard case .boolean(let value) = entry.value else {
                throw bad(table, key, "must be true or false, not \(entry.value.typeName)")
            }
            return value
        }

        func integer(_ table: String, _ key: String, in range: ClosedRange<Int>) throws -> Int? {
            guard let entry = entry(table, key) else { return nil }
            guard case .integer(let value) = entry.value else { throw bad(table, key, "must be an integer, not \(entry.value.typeName)") }
            guard range.contains(value) else {
                throw bad(table, key, "must be from \(range.lowerBound) to \(range.upperBound), not \(value)")
            }
            return value
        }

        func principals(_ table: String, _ key: String) throws -> Set<AccessPolicy.Principal> {
            guard let entry = entry(table, key) else { return [] }
            guard case .strings(let items) = entry.value else {
                throw bad(table, key, "must be an array such as [\"user:payments\", \"group:keyward-readers\"]")
            }
            var result = Set<AccessPolicy.Principal>()
            for item in items {
                let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw bad(table, key, "has '\(item)'; write user:NAME, group:NAME, uid:N or gid:N") }
                switch parts[0] {
                case "user", "uid":
                    guard let uid = DaemonConfiguration.userID(parts[1]) else {
                        throw bad(table, key, "names no user on this host: '\(parts[1])'")
                    }
                    result.insert(.user(uid))
                case "group", "gid":
                    guard let gid = DaemonConfiguration.groupID(parts[1]) else {
                        throw bad(table, key, "names no group on this host: '\(parts[1])'")
                    }
                    result.insert(.group(gid))
                default:
                    throw bad(table, key, "has '\(item)'; write user:NAME, group:NAME, uid:N or gid:N")
                }
            }
            return result
        }
    }
}
