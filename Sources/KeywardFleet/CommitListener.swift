import Foundation
import KeywardCore
import KeywardCrypto
public import Logging
import PostgresNIO

/// Hears other nodes' commits: LISTEN keyward_commit on a connection of its own, and a
/// generation poll every `pollInterval` as the safety net for a lost notification or a
/// dropped connection. Each time, `refresh` adopts the newer vault if there is one; it gets
/// the generation the store announced (nil: unknown, check).
public struct CommitListener: Sendable {
    let connector: PostgresConnector
    let store: MirroredVaultStore
    let pollInterval: Duration
    let logger: Logger
    let refresh: @Sendable (UInt64?) async -> Void

    public init(
        connector: PostgresConnector, store: MirroredVaultStore, pollInterval: Duration, logger: Logger,
        refresh: @escaping @Sendable (UInt64?) async -> Void
    ) {
        self.connector = connector
        self.store = store
        self.pollInterval = pollInterval
        self.logger = logger
        self.refresh = refresh
    }

    /// Runs until cancelled.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await listen() }
            group.addTask { await poll() }
            await group.waitForAll()
        }
    }

    private func listen() async {
        var backoff = Duration.milliseconds(250)
        while !Task.isCancelled {
            do {
                let connection = try await connector.connect()
                do {
                    try await connection.listen(on: PostgresVaultStore.commitChannel) { notifications in
                        store.markReachable()
                        backoff = .milliseconds(250)
                        // Whatever was committed while this node was not listening.
                        await refresh(nil)
                        for try await notification in notifications {
                            logger.debug("commit notification", metadata: ["keyward.generation": "\(notification.payload)"])
                            await refresh(UInt64(notification.payload))
                        }
                    }
                } catch {
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            } catch {
                if Task.isCancelled { return }
                let described = connector.describe(error)
                if described.meansStoreUnavailable { store.markUnreachable() }
                logger.warning("listening for commits failed: \(described.message); retrying in \(backoff)")
            }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(5))
        }
    }

    private func poll() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: pollInterval)
            if Task.isCancelled { return }
            // storedGeneration marks the store reachable or not; refresh compares generations.
            if let generation = try? await store.storedGeneration() { await refresh(generation) }
        }
    }
}
