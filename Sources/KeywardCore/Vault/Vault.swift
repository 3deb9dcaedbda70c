public import Foundation
public import KeywardCrypto

/// The open vault: the only owner of the key material, and the only way to change it.
///
/// Every change goes: apply the command to a copy (pure), seal it, save it through the
/// store (atomic, durable), and only then make it the current contents and append the audit
/// entry. If the save fails, nothing changed and the caller gets the error. The last audit
/// entry is also sealed into the vault, so a crash between the save and the append is
/// repaired when the vault is next opened.
public actor Vault {
    public private(set) var contents: VaultContents
    /// The generation of the stored vault: one more with every save.
    public private(set) var generation: UInt64
    public let installID: InstallID
    public nonisolated let storeLocation: String
    public let policy: RotationPolicy

    private let store: any VaultStore
    /// Kept to open what other nodes commit to a shared store.
    private let unlock: VaultUnlock
    private var keyEncryptionKey: KeyEncryptionKey
    private var dataKey: SecretBytes
    private let audit: AuditLog
    private let clock: any KeywardClock
    /// An audit entry whose vault change is saved but whose append failed; written before
    /// anything else happens.
    private var auditBacklog: AuditLine?
    /// Changes wait here for the one in progress: the actor is reentrant while the store
    /// saves, and a change that started from the contents being replaced would undo it.
    private var changeInProgress = false
    private var waitingChanges: [CheckedContinuation<Void, Never>] = []

    private init(
        contents: VaultContents,
        generation: UInt64,
        installID: InstallID,
        store: any VaultStore,
        unlock: VaultUnlock,
        keyEncryptionKey: KeyEncryptionKey,
        dataKey: SecretBytes,
        auditLogPath: String,
        policy: RotationPolicy,
        clock: any KeywardClock
    ) {
        self.contents = contents
        self.generation = generation
        self.installID = installID
        self.storeLocation = store.location
        self.store = store
        self.unlock = unlock
        self.keyEncryptionKey = keyEncryptionKey
        self.dataKey = dataKey
        self.audit = AuditLog(path: auditLogPath)
        self.audit.macKey = try? AuditLog.macKey(dataKey: dataKey)
        self.policy = policy
        self.clock = clock
    }

    /// Opens the vault in `store`, or creates an empty one when there is none and `create`
    /// is true. A vault that cannot be opened is left exactly as it is on disk.
    public static func open(
        store: any VaultStore,
        unlock: VaultUnlock,
        auditLogPath: String,
        policy: RotationPolicy = RotationPolicy(),
        clock: any KeywardClock = SystemClock(),
        create: Bool
    ) async throws -> Vault {
        if let bytes = try await store.load() {
            let opened = try VaultCodec.open(bytes, unlock: unlock)
            let vault = Vault(
                contents: opened.contents,
                generation: opened.header.generation,
                installID: opened.header.installID,
                store: store,
                unlock: unlock,
                keyEncryptionKey: opened.keyEncryptionKey,
                dataKey: opened.dataKey,
                auditLogPath: auditLogPath,
                policy: policy,
                clock: clock
            )
            try await vault.reconcileAudit()
            return vault
        }
        guard create else {
            throw VaultError(
                code: .missing,
                message: "there is no vault at \(store.location)",
                hint: "create one with keywardctl init (a fleet store: keywardctl store push), or restore it from a backup"
            )
        }
        let keyEncryptionKey = try KeyEncryptionKey.forNewVault(unlock)
        let installID = try keyEncryptionKey.installID ?? InstallID.random()
        let dataKey = try SecretBytes.random(count: AESGCM.keyByteCount)
        let vault = Vault(
            contents: VaultContents(),
            generation: 0,
            installID: installID,
            store: store,
            unlock: unlock,
            keyEncryptionKey: keyEncryptionKey,
            dataKey: dataKey,
            auditLogPath: auditLogPath,
            policy: policy,
            clock: clock
        )
        try await vault.record(action: "create", mode: nil, by: .currentProcess, record: TransitionRecord(detail: "install \(installID)"))
        return vault
    }

    /// Applies an operator's command to one mode, durably. See `VaultContents.applying`.
    @discardableResult
    public func apply(_ command: RotationCommand, to mode: Mode, by actor: AuditActor) async throws -> Transition {
        try await oneAtATime { try await applyNow(command, to: mode, by: actor) }
    }

    private func applyNow(_ command: RotationCommand, to mode: Mode, by actor: AuditActor) async throws -> Transition {
        try await flushAuditBacklog()
        let now = clock.now()
        let transition = try contents.applying(command, to: mode, at: now, policy: policy)
        let line = try audit.nextEntry(time: now, actor: actor, action: transition.command, mode: mode, record: transition.record)
        var next = transition.contents
        next.lastAuditEntry = line
        try await persist(next)
        await appendAfterSave(line)
        return Transition(
            contents: next, mode: mode, command: transition.command, publishes: transition.publishes, record: transition.record)
    }

    /// Records an action that changes no key (a private-key export, a refused request) in
    /// the audit log only.
    public func recordAccess(_ access: AuditAccess, mode: Mode?, by actor: AuditActor, outcome: AuditOutcome, detail: String?) async throws
    {
        try await oneAtATime {
            try await flushAuditBacklog()
            let line = try audit.nextEntry(
                time: clock.now(), actor: actor, action: access.action, mode: mode, outcome: outcome.rawValue,
                record: TransitionRecord(detail: detail))
            try await appendOnDisk(line)
        }
    }

    /// A backup at this moment (no change runs meanwhile): the vault as stored, the audit log
    /// as written, the data key wrapped to `recoveryKey`, and a manifest; then a `backup`
    /// entry in the audit log (after the copy: the backup holds the log up to its generation).
    public func backup(recoveryKey: RSAPublicKey, by actor: AuditActor) async throws -> (archive: [UInt8], manifest: BackupManifest) {
        try await oneAtATime {
            try await flushAuditBacklog()
            guard let stored = try await store.load() else {
                throw VaultError(code: .missing, message: "there is no vault to back up yet", hint: "set up a mode first")
            }
            let lines = try audit.lines()
            let auditBytes = Array(lines.map { $0.text + "\n" }.joined().utf8)
            // The manifest describes the bytes that go into the backup, not this node's copy:
            // in a fleet the store may hold another node's newer commit (same data key).
            let (storedContents, storedHeader) = try VaultCodec.open(stored, dataKey: dataKey)
            let manifest = BackupManifest.describing(
                storedContents, installID: storedHeader.installID, generation: storedHeader.generation, at: clock.now(),
                auditLines: lines, recoveryKey: recoveryKey, sharedStore: store.isShared)
            let archive = try BackupArchive.make(
                manifest: manifest, vault: stored, audit: auditBytes, dataKey: dataKey, recoveryKey: recoveryKey)
            let line = try audit.nextEntry(
                time: clock.now(), actor: actor, action: "backup", mode: nil,
                record: TransitionRecord(
                    detail: "generation \(generation), \(lines.count) audit entries, recovery key \(recoveryKey.fingerprint.hex)"))
            try await appendOnDisk(line)
            return (archive, manifest)
        }
    }

    /// Re-seals the vault under a new master key or passphrase. The data key and every
    /// credential stay as they are. A master key must be of the same install.
    public func rekey(to unlock: VaultUnlock, by actor: AuditActor) async throws {
        try await oneAtATime { try await rekeyNow(to: unlock, by: actor) }
    }

    private func rekeyNow(to unlock: VaultUnlock, by actor: AuditActor) async throws {
        let newKey = try KeyEncryptionKey.forNewVault(unlock)
        if let newInstall = newKey.installID, newInstall != installID {
            throw VaultError(
                code: .otherInstall,
                message: "the new master key is for install \(newInstall), but this vault is install \(installID)",
                hint: "generate the new key with this vault's install id (keywardctl vault rekey does)"
            )
        }
        let previousKey = keyEncryptionKey
        keyEncryptionKey = newKey
        do {
            try await record(
                action: "rekey", mode: nil, by: actor,
                record: TransitionRecord(detail: newKey.source == .masterKey ? "master key" : "passphrase"))
        } catch {
            keyEncryptionKey = previousKey
            throw error
        }
    }

    /// Adopts what another node committed to a shared store, if the stored generation is
    /// newer than this one. Returns whether the contents changed. The node's own audit log
    /// records the adoption.
    @discardableResult
    public func refresh() async throws -> Bool {
        try await oneAtATime { try await refreshNow() }
    }

    /// Since when a shared store has been unreachable, or nil.
    public nonisolated var storeUnreachableSince: Date? { store.unreachableSince }

    private func refreshNow() async throws -> Bool {
        guard let bytes = try await store.load() else { return false }
        let header = try VaultHeader(parsing: bytes)
        guard header.generation > generation else { return false }
        guard header.installID == installID else {
            throw VaultError(
                code: .otherInstall,
                message: "the store at \(store.location) now holds a vault of install \(header.installID), not \(installID)",
                hint: "every node of a fleet must use the same install; check which vault was pushed to the store")
        }
        let opened = try VaultCodec.open(bytes, unlock: unlock)
        let adopted = opened.header.generation
        contents = opened.contents
        generation = adopted
        dataKey = opened.dataKey
        audit.macKey = try? AuditLog.macKey(dataKey: dataKey)
        keyEncryptionKey = opened.keyEncryptionKey
        let line = try audit.nextEntry(
            time: clock.now(), actor: .currentProcess, action: "adopt", mode: nil,
            record: TransitionRecord(detail: "generation \(adopted) committed by another node to \(store.location)"))
        await appendAfterSave(line)
        return true
    }

    /// Verifies the audit log's hash chain; returns the number of entries.
    public func verifyAudit() throws -> Int {
        try audit.verify()
    }

    /// Checks the audit log: its chain, and that it holds the entry this vault sealed last.
    public func checkAudit() throws -> AuditCheck {
        let sealed = contents.lastAuditEntry
        let waiting = sealed != nil && sealed == auditBacklog
        return try audit.check(sealed: sealed, sealedElsewhere: store.isShared || waiting)
    }

    /// Every audit line, oldest first.
    public func auditLines() throws -> [AuditLine] {
        try audit.lines()
    }

    /// The current time of the vault's clock.
    public func now() -> Date { clock.now() }

    private func record(action: String, mode: Mode?, by actor: AuditActor, record: TransitionRecord) async throws {
        try await flushAuditBacklog()
        let line = try audit.nextEntry(time: clock.now(), actor: actor, action: action, mode: mode, record: record)
        var next = contents
        next.lastAuditEntry = line
        try await persist(next)
        await appendAfterSave(line)
    }

    /// The change is saved and the entry is sealed in the vault: a failed append must not
    /// report the change as failed. The entry waits in the backlog (and in the vault, for a
    /// restart) and is written before the next change.
    private func appendAfterSave(_ line: AuditLine) async {
        do {
            try await appendOnDisk(line)
        } catch {
            auditBacklog = line
        }
        // Sealed in the vault: hand a copy to whoever keeps one off this file (the journal).
        if let observer = auditObserver, let entry = try? line.entry() { observer(entry, line) }
    }

    /// Called with each new audit entry once the vault has sealed it.
    private var auditObserver: (@Sendable (AuditEntry, AuditLine) -> Void)?

    /// Sets the observer of new audit entries (the daemon copies them to the journal).
    public func observeAuditEntries(_ observer: @escaping @Sendable (AuditEntry, AuditLine) -> Void) {
        auditObserver = observer
    }

    private func flushAuditBacklog() async throws {
        guard let backlog = auditBacklog else { return }
        try await appendOnDisk(backlog)
        auditBacklog = nil
    }

    /// Appends (and fsyncs) on the disk thread, off the cooperative pool.
    private func appendOnDisk(_ line: AuditLine) async throws {
        let audit = audit
        try await DiskIO.run { try audit.append(line) }
    }

    /// Whether an audit entry is waiting to be written (the log's disk is failing).
    public var hasAuditBacklog: Bool { auditBacklog != nil }

    /// Runs `change` when no other change is in progress, in arrival order.
    private func oneAtATime<Result>(_ change: () async throws -> Result) async throws -> Result {
        if changeInProgress {
            await withCheckedContinuation { waitingChanges.append($0) }
        } else {
            changeInProgress = true
        }
        defer {
            if waitingChanges.isEmpty {
                changeInProgress = false
            } else {
                waitingChanges.removeFirst().resume()
            }
        }
        return try await change()
    }

    /// Seals and saves `next`; only when the save succeeded does it become the contents.
    private func persist(_ next: VaultContents) async throws {
        let bytes = try VaultCodec.seal(
            next, dataKey: dataKey, keyEncryptionKey: keyEncryptionKey, installID: installID, generation: generation + 1)
        do {
            try await store.save(bytes, generation: generation + 1, replacing: generation == 0 ? nil : generation)
        } catch let error as StoreError where error.kind == .conflict {
            // Another node committed first: take its vault, so the next attempt starts from it.
            _ = try? await refreshNow()
            throw error
        }
        contents = next
        generation += 1
    }

    private func reconcileAudit() throws {
        // In a shared store the sealed entry may be another node's, from another log.
        try audit.reconcile(with: contents.lastAuditEntry, othersMayWrite: store.isShared)
    }
}
