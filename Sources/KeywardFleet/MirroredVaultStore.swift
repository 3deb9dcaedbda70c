public import Foundation
public import KeywardCore
import KeywardCrypto
import Synchronization

/// The fleet store as a node uses it: PostgreSQL is the truth, and the node's state
/// directory keeps the last good vault it saw. When PostgreSQL is unreachable, loads come
/// from the local copy (the node serves on) and saves fail with `store.unreachable` (no
/// control action without the store).
public final class MirroredVaultStore: VaultStore {
    public let remote: PostgresVaultStore
    public let local: FileVaultStore
    public let location: String
    public var isShared: Bool { true }
    private let unreachable = Mutex<Date?>(nil)
    private let onReachabilityChange: @Sendable (Date?) -> Void

    /// - Parameter onReachabilityChange: called with the time the store became unreachable,
    ///   or nil when it is back.
    public init(remote: PostgresVaultStore, local: FileVaultStore, onReachabilityChange: @escaping @Sendable (Date?) -> Void = { _ in }) {
        self.remote = remote
        self.local = local
        self.location = remote.location
        self.onReachabilityChange = onReachabilityChange
    }

    public var unreachableSince: Date? { unreachable.withLock { $0 } }

    public func load() async throws -> [UInt8]? {
        do {
            let bytes = try await remote.load()
            markReachable()
            if let bytes, bytes != (try? local.loadNow()) { try local.saveNow(bytes) }
            return bytes
        } catch let error as StoreError where error.meansStoreUnavailable {
            markUnreachable()
            guard let copy = try local.loadNow() else { throw error }
            return copy
        }
    }

    public func save(_ bytes: [UInt8], generation: UInt64, replacing: UInt64?) async throws {
        do {
            try await remote.save(bytes, generation: generation, replacing: replacing)
            markReachable()
        } catch let error as StoreError where error.meansStoreUnavailable {
            markUnreachable()
            throw StoreError(
                code: error.kind, message: "\(error.message); nothing was changed",
                hint:
                    "control actions need the store; reads and signatures go on from this node's local copy. Retry when PostgreSQL is back")
        }
        try local.saveNow(bytes)
    }

    /// The stored generation, or nil when there is no vault; marks reachability.
    public func storedGeneration() async throws -> UInt64? {
        do {
            let generation = try await remote.storedGeneration()
            markReachable()
            return generation
        } catch let error as StoreError where error.meansStoreUnavailable {
            markUnreachable()
            throw error
        }
    }

    public func markUnreachable() {
        let changed = unreachable.withLock { since in
            guard since == nil else { return nil as Date? }
            since = Date()
            return since
        }
        if let changed { onReachabilityChange(changed) }
    }

    public func markReachable() {
        let changed = unreachable.withLock { since in
            defer { since = nil }
            return since != nil
        }
        if changed { onReachabilityChange(nil) }
    }
}
