public import Foundation

/// Where the sealed vault bytes live. The file store is the embedded default; a fleet uses a
/// database store with the same sealed blob.
///
/// Contract: `save` replaces the stored vault atomically (a reader, or a crash at any
/// moment, sees the old bytes or the new bytes, never a mix) and durably (it returns only
/// when the new bytes survive a power loss). `generation` is the vault header's generation;
/// a store shared by several writers refuses a save whose `replacing` generation is no
/// longer the stored one.
public protocol VaultStore: Sendable {
    /// The stored vault, or nil if none was ever saved.
    func load() async throws -> [UInt8]?
    /// Replaces the stored vault with `bytes` (generation `generation`), which must replace
    /// the vault of generation `replacing` (nil for the first save).
    func save(_ bytes: [UInt8], generation: UInt64, replacing: UInt64?) async throws
    /// Where the vault is, for messages (a path or a database name, never a password).
    var location: String { get }
    /// Whether other nodes write to this store too. Then the vault can change under this
    /// node (`Vault.refresh()`), and each node keeps an audit log of its own.
    var isShared: Bool { get }
    /// Since when the store has been unreachable (a shared store serving from its local
    /// copy), or nil.
    var unreachableSince: Date? { get }
}

extension VaultStore {
    public var isShared: Bool { false }
    public var unreachableSince: Date? { nil }
}
