import Foundation
import KeywardCore

/// Every key keywardd.toml may hold, described once: its table, name, type and range, and
/// where its value goes. The same table checks the file's names ("known keys: …"), reads and
/// validates each value (errors name the line), and lists the keys for the docs' test.
public enum ConfigurationSchema {
    /// One key of the file.
    public struct Key: Sendable {
        public let table: String
        public let name: String
        /// What the value must be, as an error says it ("an integer from 1 to 600").
        public let expects: String
        let apply: @Sendable (inout ConfigurationDraft, TOMLSubset.Value, ConfigurationReader.Place) throws -> Void
    }

    /// Tables in the order the documented example has them.
    public static var tables: [String] {
        var seen: [String] = []
        for key in keys where !seen.contains(key.table) { seen.append(key.table) }
        return seen
    }

    public static let keys: [Key] =
        [
            string("daemon", "socket") { $0.configuration.socketPath = $1 },
            string("daemon", "socket_mode") { draft, text, place in
                guard let value = UInt32(text, radix: 8), value <= 0o777 else { throw place.bad("must be an octal mode such as \"0660\"") }
                draft.configuration.socketPermissions = value
            },
            string("daemon", "socket_group") { draft, name, place in
                guard !name.isEmpty else { return }
                guard let gid = DaemonConfiguration.groupID(name) else { throw place.bad("names no group on this host: '\(name)'") }
                draft.configuration.socketGroup = gid
            },
            string("daemon", "state_directory") { $0.configuration.stateDirectory = $1 },
            string("daemon", "master_key_file") { draft, path, _ in if !path.isEmpty { draft.configuration.masterKeyFile = path } },
            string("daemon", "log_level") { draft, level, place in
                let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
                guard levels.contains(level) else { throw place.bad("must be one of \(levels.joined(separator: ", "))") }
                draft.configuration.logLevel = level
            },
            integer("limits", "max_body_bytes", 1024...(16 << 20)) { $0.configuration.limits.maxBodyBytes = $1 },
            integer("limits", "request_timeout_seconds", 1...600) { $0.configuration.limits.requestTimeout = .seconds($1) },
            integer("limits", "idle_timeout_seconds", 1...86_400) { $0.configuration.limits.idleTimeout = .seconds($1) },
            integer("limits", "max_wait_seconds", 1...3_600) { $0.configuration.limits.maxWait = .seconds($1) },
            integer("limits", "drain_timeout_seconds", 0...600) { $0.configuration.limits.drainTimeout = .seconds($1) },
            integer("limits", "max_connections", 1...1_000_000) { $0.configuration.limits.maxConnections = $1 },
            integer("limits", "event_loops", 0...256) { $0.configuration.limits.eventLoops = $1 },
            integer("rotation", "grace_window_hours", 0...(24 * 90)) { $0.configuration.rotation.graceWindow = TimeInterval($1) * 3600 },
            integer("rotation", "pending_lifetime_days", 1...365) { $0.configuration.rotation.pendingLifetime = TimeInterval($1) * 86_400 },
            integer("rotation", "history_limit", 1...100_000) { $0.configuration.rotation.historyLimit = $1 },
            string("store", "kind") { $0.storeKind = $1 },
            string("store", "url") { $0.storeURL = $1 },
            string("store", "password_credential") { draft, name, place in
                guard !name.isEmpty, !name.contains("/") else {
                    throw place.bad("must be a credential name such as \"keyward-store-password\"")
                }
                draft.passwordCredential = name
            },
            integer("store", "poll_interval_seconds", 1...3_600) { $0.pollInterval = $1 },
            command("alerts", "exec") { $0.configuration.alerts.command = $1 },
            integer("alerts", "timeout_seconds", 1...600) { $0.configuration.alerts.timeout = .seconds($1) },
            string("backup", "recovery_public_key_file") { draft, path, _ in
                draft.configuration.recoveryPublicKeyFile = path.isEmpty ? nil : path
            },
            integer("backup", "warn_after_hours", 1...8_760) { $0.configuration.backupWarnAfter = TimeInterval($1) * 3600 },
        ] + Mode.allCases.flatMap(modeKeys)

    /// `[mode.test]` and `[mode.live]`: the export policy and the grants.
    private static func modeKeys(_ mode: Mode) -> [Key] {
        let table = "mode.\(mode)"
        @Sendable func update(_ draft: inout ConfigurationDraft, _ change: (inout AccessPolicy.ModeAccess) -> Void) {
            var access = draft.configuration.access[mode]
            change(&access)
            if mode == .test { draft.configuration.access.test = access } else { draft.configuration.access.live = access }
        }
        return [
            boolean(table, "export_private_key") { draft, value in update(&draft) { $0.exportPrivateKey = value } },
            principals(table, "readers") { draft, value in update(&draft) { $0.readers = value } },
            principals(table, "signers") { draft, value in update(&draft) { $0.signers = value } },
            principals(table, "operators") { draft, value in update(&draft) { $0.operators = value } },
            integer(table, "rotate_after_days", 0...3_650) { draft, days in
                draft.configuration.lifecycle[mode].rotateAfter = days == 0 ? nil : TimeInterval(days) * 86_400
            },
            integer(table, "warn_before_days", 0...365) { $0.configuration.lifecycle[mode].warnBefore = TimeInterval($1) * 86_400 },
            integer(table, "certificate_warn_days", 0...365) {
                $0.configuration.lifecycle[mode].certificateWarnBefore = TimeInterval($1) * 86_400
            },
            integer(table, "pending_lifetime_days", 1...365) {
                $0.configuration.rotation.pendingLifetimes[mode] = TimeInterval($1) * 86_400
            },
            boolean(table, "prepare_rotation") { $0.configuration.lifecycle[mode].prepareRotation = $1 },
            integer(table, "approvals", 1...2) { draft, count in update(&draft) { $0.approvals = count } },
            integer(table, "approval_window_minutes", 5...1_440) { draft, minutes in
                update(&draft) { $0.approvalWindow = .seconds(minutes * 60) }
            },
        ]
    }

    /// Unknown tables and keys, and keys outside any table, each named with its line.
    static func checkNames(_ document: TOMLSubset, source: String) throws {
        for (table, entries) in document.tables.sorted(by: { $0.key < $1.key }) {
            if table.isEmpty {
                if let (key, entry) = entries.min(by: { $0.value.line < $1.value.line }) {
                    throw ConfigurationError.at(source, entry.line, "'\(key)' must be inside a table such as [daemon]")
                }
                continue
            }
            let known = keys.filter { $0.table == table }.map(\.name)
            guard !known.isEmpty else {
                throw ConfigurationError.at(
                    source, document.tableLines[table] ?? 0,
                    "unknown table [\(table)]; known tables: \(tables.map { "[\($0)]" }.joined(separator: ", "))")
            }
            for (key, entry) in entries.sorted(by: { $0.value.line < $1.value.line }) where !known.contains(key) {
                throw ConfigurationError.at(
                    source, entry.line, "unknown key '\(key)' in [\(table)]; known keys: \(known.sorted().joined(separator: ", "))")
            }
        }
    }

    // MARK: Key kinds

    private static func string(
        _ table: String, _ name: String,
        _ apply: @escaping @Sendable (inout ConfigurationDraft, String, ConfigurationReader.Place) throws -> Void
    ) -> Key {
        Key(table: table, name: name, expects: "a string") { draft, value, place in
            guard case .string(let text) = value else { throw place.bad("must be a string, not \(value.typeName)") }
            try apply(&draft, text, place)
        }
    }

    private static func string(_ table: String, _ name: String, _ apply: @escaping @Sendable (inout ConfigurationDraft, String) -> Void)
        -> Key
    {
        string(table, name) { draft, text, _ in apply(&draft, text) }
    }

    private static func integer(
        _ table: String, _ name: String, _ range: ClosedRange<Int>, _ apply: @escaping @Sendable (inout ConfigurationDraft, Int) -> Void
    ) -> Key {
        Key(table: table, name: name, expects: "an integer from \(range.lowerBound) to \(range.upperBound)") { draft, value, place in
            guard case .integer(let number) = value else { throw place.bad("must be an integer, not \(value.typeName)") }
            guard range.contains(number) else { throw place.bad("must be from \(range.lowerBound) to \(range.upperBound), not \(number)") }
            apply(&draft, number)
        }
    }

    private static func boolean(_ table: String, _ name: String, _ apply: @escaping @Sendable (inout ConfigurationDraft, Bool) -> Void)
        -> Key
    {
        Key(table: table, name: name, expects: "true or false") { draft, value, place in
            guard case .boolean(let flag) = value else { throw place.bad("must be true or false, not \(value.typeName)") }
            apply(&draft, flag)
        }
    }

    /// A program and its arguments, run without a shell: an absolute path first.
    private static func command(_ table: String, _ name: String, _ apply: @escaping @Sendable (inout ConfigurationDraft, [String]) -> Void)
        -> Key
    {
        Key(table: table, name: name, expects: "an array: an absolute program path and its arguments") { draft, value, place in
            guard case .strings(let argv) = value else {
                throw place.bad(
                    "must be an array: the program and its arguments, run without a shell, such as [\"/usr/local/bin/page\", \"keyward\"]")
            }
            guard let program = argv.first else { return apply(&draft, []) }
            guard program.hasPrefix("/") else { throw place.bad("must start with an absolute program path, not '\(program.prefix(64))'") }
            apply(&draft, argv)
        }
    }

    private static func principals(
        _ table: String, _ name: String, _ apply: @escaping @Sendable (inout ConfigurationDraft, Set<AccessPolicy.Principal>) -> Void
    ) -> Key {
        Key(table: table, name: name, expects: "an array of user:NAME, group:NAME, uid:N or gid:N") { draft, value, place in
            guard case .strings(let items) = value else {
                throw place.bad("must be an array such as [\"user:payments\", \"group:keyward-readers\"]")
            }
            var result = Set<AccessPolicy.Principal>()
            for item in items {
                let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw place.bad("has '\(item)'; write user:NAME, group:NAME, uid:N or gid:N") }
                switch parts[0] {
                case "user", "uid":
                    guard let uid = DaemonConfiguration.userID(parts[1]) else {
                        throw place.bad("names no user on this host: '\(parts[1])'")
                    }
                    result.insert(.user(uid))
                case "group", "gid":
                    guard let gid = DaemonConfiguration.groupID(parts[1]) else {
                        throw place.bad("names no group on this host: '\(parts[1])'")
                    }
                    result.insert(.group(gid))
                default:
                    throw place.bad("has '\(item)'; write user:NAME, group:NAME, uid:N or gid:N")
                }
            }
            apply(&draft, result)
        }
    }
}

/// The parsed document, with errors that name the key and its line.
struct ConfigurationReader {
    let document: TOMLSubset
    let source: String

    /// One key of the document, for the errors about its value.
    struct Place {
        let reader: ConfigurationReader
        let table: String
        let key: String

        func bad(_ problem: String) -> ConfigurationError { reader.bad(table, key, problem) }
    }

    func entry(_ table: String, _ key: String) -> TOMLSubset.Entry? { document.tables[table]?[key] }

    func bad(_ table: String, _ key: String, _ problem: String) -> ConfigurationError {
        ConfigurationError.at(source, entry(table, key)?.line ?? 0, "[\(table)] \(key) \(problem)")
    }
}
