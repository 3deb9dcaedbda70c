import Foundation
import KeywardConfiguration
import KeywardCore
import KeywardCrypto
import KeywardFleet
import KeywardTestSupport
import Logging
import Testing

/// The store's compare-and-swap, made to fail on purpose: two vaults over one real
/// PostgreSQL store, the second one a generation behind. No race, no timing.
@Suite("the fleet store's compare-and-swap", .serialized)
struct StoreConflictTests {
    private func store(_ server: PostgresServer) throws -> PostgresVaultStore {
        let url = try PostgresURL(parsing: server.url)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return PostgresVaultStore(connector: PostgresConnector(url: url, password: server.password, logger: logger), logger: logger)
    }

    @Test("a save that replaces a stale generation is store.conflict, changes nothing, and the loser takes the winner's vault")
    func staleGenerationConflicts() async throws {
        let server = try PostgresServer()
        let url = try PostgresURL(parsing: server.url)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        _ = try await StoreSchema.migrate(using: PostgresConnector(url: url, password: server.password, logger: logger), logger: logger)
        let directory = try TemporaryDirectory(prefix: "keyward-conflict")
        let masterKey = try MasterKey.generate()
        // Each store holds a connection, closed at the end (postgres-nio requires it).
        let (storeA, storeB, reader) = (try store(server), try store(server), try store(server))
        let first = try await Vault.open(
            store: storeA, unlock: .masterKey(masterKey), auditLogPath: directory.file("a.log"), create: true)
        let second = try await Vault.open(
            store: storeB, unlock: .masterKey(masterKey), auditLogPath: directory.file("b.log"), create: false)
        let start = await first.generation
        #expect(await second.generation == start)

        try await first.apply(.setUp(TestKeys.account()), to: .test, by: .currentProcess)
        #expect(await first.generation == start + 1)

        // The second vault still holds generation `start`: its save names it as the one it
        // replaces, and the store refuses.
        await #expect(throws: StoreError(code: .conflict, message: "", hint: "")) {
            try await second.apply(.setUp(TestKeys.account(.live)), to: .live, by: .currentProcess)
        }
        // Nothing of the refused change is anywhere: the store holds the first vault's change.
        let stored = try #require(try await reader.load())
        #expect(try VaultFileInfo(stored).generation == start + 1)
        // The loser took the winner's vault, so its next attempt starts from it and goes through.
        #expect(await second.generation == start + 1)
        #expect(await second.contents.test.account != nil)
        try await second.apply(.setUp(TestKeys.account(.live)), to: .live, by: .currentProcess)
        #expect(await second.generation == start + 2)
        // And now the first one is behind.
        await #expect(throws: StoreError(code: .conflict, message: "", hint: "")) {
            try await first.apply(.setUp(TestKeys.account()), to: .test, by: .currentProcess)
        }
        for store in [storeA, storeB, reader] { await store.close() }
    }
}

/// Many calls at once on a store with no connection yet, as after an outage: each call
/// connects while the actor waits, and every connection but the one kept must be closed.
@Suite("the fleet store's connection", .serialized)
struct StoreConnectionTests {
    @Test("concurrent first calls share one connection and leave none open behind")
    func concurrentReconnects() async throws {
        let server = try PostgresServer()
        let url = try PostgresURL(parsing: server.url)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let connector = PostgresConnector(url: url, password: server.password, logger: logger)
        _ = try await StoreSchema.migrate(using: connector, logger: logger)
        for round in 0..<5 {
            let store = PostgresVaultStore(connector: connector, logger: logger)
            let loaded = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 { group.addTask { try await store.load() == nil } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(loaded == 8, "round \(round)")
            await store.close()
        }
    }
}
