import Foundation
import KeywardConfiguration
public import KeywardCore
import KeywardCrypto
public import Logging
import NIOCore
import PostgresNIO

/// The sealed vault in one PostgreSQL row. A save is a compare-and-swap on the generation,
/// with `NOTIFY keyward_commit, '<generation>'` in the same transaction, so a listener hears
/// of a commit exactly when it is visible. PostgreSQL never sees a key in clear.
public actor PostgresVaultStore: VaultStore {
    public static let commitChannel = "keyward_commit"

    public nonisolated let location: String
    public nonisolated var isShared: Bool { true }
    public nonisolated let connector: PostgresConnector
    private let logger: Logger
    /// One connection, opened on first use and again after it failed.
    private var connection: PostgresConnection?

    public init(connector: PostgresConnector, logger: Logger) {
        self.connector = connector
        self.location = connector.url.description
        self.logger = logger
    }

    public func load() async throws -> [UInt8]? {
        try await withConnection { connection in
            let rows = try await connection.query("SELECT sealed FROM keyward_vault WHERE id = 1", logger: logger)
            for try await sealed in rows.decode(ByteBuffer.self) { return Array(buffer: sealed) }
            return nil
        }
    }

    /// The stored generation (nil: no vault yet), without fetching the vault.
    public func storedGeneration() async throws -> UInt64? {
        try await withConnection { connection in
            let rows = try await connection.query("SELECT generation FROM keyward_vault WHERE id = 1", logger: logger)
            for try await generation in rows.decode(Int64.self) { return UInt64(generation) }
            return nil
        }
    }

    public func save(_ bytes: [UInt8], generation: UInt64, replacing: UInt64?) async throws {
        let sealed = ByteBuffer(bytes: bytes)
        let new = Int64(generation)
        try await withConnection { connection in
            try await connection.withTransaction(logger: logger) { connection in
                let rows: PostgresRowSequence
                if let replacing {
                    rows = try await connection.query(
                        """
                        UPDATE keyward_vault SET generation = \(new), sealed = \(sealed), updated_at = now()
                        WHERE id = 1 AND generation = \(Int64(replacing)) RETURNING generation
                        """, logger: logger)
                } else {
                    rows = try await connection.query(
                        "INSERT INTO keyward_vault (id, generation, sealed) VALUES (1, \(new), \(sealed)) ON CONFLICT (id) DO NOTHING RETURNING generation",
                        logger: logger)
                }
                var swapped = false
                for try await _ in rows { swapped = true }
                guard swapped else {
                    throw StoreError(
                        code: .conflict,
                        message: "another node committed to \(location) first (this node had generation \(replacing ?? 0))",
                        hint: "this node has loaded the newer vault: check keywardctl status and repeat the action if it still applies")
                }
                try await connection.query("SELECT pg_notify(\(Self.commitChannel), \(String(generation)))", logger: logger)
            }
        }
    }

    /// Closes the connection (at shutdown).
    public func close() async {
        if let connection { try? await connection.close() }
        connection = nil
    }

    private func withConnection<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        let current: PostgresConnection
        if let connection, !connection.isClosed {
            current = connection
        } else {
            if let stale = connection {
                connection = nil
                try? await stale.close()
            }
            // The actor is reentrant while it connects: another call may have connected in the
            // meantime. Then one connection is kept and the other closed, never dropped open
            // (postgres-nio asserts on that, and it would leak a server connection).
            let fresh = try await connector.connect()
            if let other = connection, !other.isClosed {
                try? await fresh.close()
                current = other
            } else {
                connection = fresh
                current = fresh
            }
        }
        do {
            return try await body(current)
        } catch {
            let described = connector.describe(error)
            if described.meansStoreUnavailable {
                try? await current.close()
                if connection === current { connection = nil }
            }
            throw described
        }
    }
}
