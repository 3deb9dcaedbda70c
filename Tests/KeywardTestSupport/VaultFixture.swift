public import Foundation
public import KeywardCore
import KeywardCrypto

/// A state directory with a master key, for opening real vaults in tests.
public struct VaultFixture: Sendable {
    public let directory: TemporaryDirectory
    public let masterKey: MasterKey
    public let clock: ManualClock

    public init() throws {
        directory = try TemporaryDirectory(prefix: "keyward-vault")
        masterKey = try MasterKey.generate()
        // Real time, whole seconds: helper processes use the system clock on the same vault.
        clock = ManualClock(Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
    }

    public var vaultPath: String { directory.file(FileVaultStore.vaultFileName) }
    public var auditPath: String { directory.file("audit.log") }

    /// Opens (or creates) the vault with this fixture's master key.
    public func open(unlock: VaultUnlock? = nil, create: Bool = true, policy: RotationPolicy = RotationPolicy()) async throws -> Vault {
        try await Vault.open(
            store: try FileVaultStore(directory: directory.path),
            unlock: unlock ?? .masterKey(masterKey),
            auditLogPath: auditPath,
            policy: policy,
            clock: clock,
            create: create
        )
    }

    /// Opens the vault again after the test dropped its previous `Vault`: that one releases
    /// the store's lock when ARC frees it, which on a loaded machine can trail the test's own
    /// resumption by a moment (the actor's last job still holds it). Waits up to 10 s for it.
    public func reopen() async throws -> Vault {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            do {
                return try await open(create: false)
            } catch let error as VaultError where error.kind == .locked && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
    }

    /// The vault file's bytes.
    public func vaultBytes() throws -> [UInt8] {
        try directory.read(FileVaultStore.vaultFileName)
    }
}

extension ModeState {
    /// Everything about a mode that must survive a reopen, as comparable text (no secrets).
    public func fingerprintDescription(at now: Date) -> String {
        var parts: [String] = []
        parts.append("active=\(isActive) revision=\(revision) last=\(lastVersion)")
        parts.append(
            "account=\(account.map { "\($0.summary)/\($0.accountEmail?.value ?? "-")/\($0.apiKey == nil ? "no-api-key" : "api-key")" } ?? "-")"
        )
        parts.append("staged=\(stagedAccount?.summary ?? "-")")
        if let current {
            parts.append(
                "current=v\(current.version) \(current.origin) \(current.merchantPublicKey.fingerprint) \(current.platformPublicKey.fingerprint)"
            )
        }
        if let previous {
            parts.append("previous=v\(previous.keySet.version) until \(previous.graceEndsAt.timeIntervalSince1970)")
        }
        if let pending {
            parts.append(
                "pending=\(pending.state(at: now)) \(pending.origin) \(pending.merchantPrivateKey.publicKey.fingerprint) \(pending.platformPublicKey?.fingerprint.description ?? "-")"
            )
        }
        parts.append("history=\(history.map(\.version))")
        return parts.joined(separator: "; ")
    }
}
