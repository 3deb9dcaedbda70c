import KeywardCore
import KeywardCrypto
public import Logging
public import PostgresNIO

/// The fleet store's tables, created and upgraded by `keywardctl store migrate`: versioned
/// steps, applied once each, in one transaction under an advisory lock, so running it twice
/// or on two hosts at once is harmless.
public enum StoreSchema {
    /// Step N brings the schema from version N-1 to N. Never edit a released step; add one.
    static let steps: [[String]] = [
        [
            """
            CREATE TABLE keyward_vault (
                id smallint PRIMARY KEY CHECK (id = 1),
                generation bigint NOT NULL CHECK (generation > 0),
                sealed bytea NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            "COMMENT ON TABLE keyward_vault IS 'Keyward: the sealed vault (AES-256-GCM under the install master key); one row'",
        ]
    ]

    public static var latestVersion: Int { steps.count }
    /// Any fixed number: serializes concurrent migrations.
    static let advisoryLock: Int64 = 0x6B65_7977_6172_64

    /// Connects, migrates and closes; errors say what the operator should do.
    @discardableResult
    public static func migrate(using connector: PostgresConnector, logger: Logger) async throws -> (from: Int, to: Int) {
        let connection = try await connector.connect()
        do {
            let result = try await migrate(connection, logger: logger)
            try? await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw connector.describe(error)
        }
    }

    /// Applies the missing steps; returns the versions it found and left.
    @discardableResult
    public static func migrate(_ connection: PostgresConnection, logger: Logger) async throws -> (from: Int, to: Int) {
        try await connection.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(advisoryLock))", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS keyward_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                logger: logger)
            let found = try await version(connection, logger: logger)
            guard found <= latestVersion else {
                throw StoreError(
                    code: .schemaNewer,
                    message: "the store's schema is version \(found); this Keyward knows up to \(latestVersion)",
                    hint: "upgrade keywardctl and keywardd on this host to the fleet's version")
            }
            for version in stride(from: found + 1, through: latestVersion, by: 1) {
                for statement in steps[version - 1] {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO keyward_schema (version) VALUES (\(version))", logger: logger)
            }
            return (found, latestVersion)
        }
    }

    /// The schema version in the database (0: none).
    public static func version(_ connection: PostgresConnection, logger: Logger) async throws -> Int {
        let rows = try await connection.query(
            "SELECT coalesce(max(version), 0)::integer FROM keyward_schema", logger: logger)
        for try await (version) in rows.decode(Int.self) { return version }
        return 0
    }
}
