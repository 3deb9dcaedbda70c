public import Foundation
public import KeywardConfiguration
public import KeywardCore
import KeywardCrypto
public import Logging
import Synchronization

/// The daemon's state in one place: the vault, the published snapshots, the access policy
/// and the limits. Applies operator commands in the order "save, then publish".
public final class KeywardService: Sendable {
    /// Reached only through this façade: the router never touches the vault itself.
    private let vault: Vault
    public let board: SnapshotBoard
    public let metrics = MetricsRegistry()
    /// Control actions waiting for a second operator (two-person control).
    public let approvals = ApprovalBook()
    private let lastBackup = Mutex<Date?>(nil)
    /// Key generation and full private-key checks, at the lowest CPU priority.
    public let keyWork = BackgroundWorker(name: "keyward-keys")
    /// Threads for signing, one per core, below the event loops' priority.
    public let signingPool = SigningPool()
    public let logger: Logger
    /// Where new files of the daemon go (a rekey's new master key).
    public let stateDirectory: StateDirectory
    private let settings: Mutex<Settings>
    /// The last computed lifecycle of both modes (what is due), for health and the status line.
    private let lifecycleReport = Mutex<[Mode: ModeLifecycle]>([:])
    private let changeHandler: @Sendable () -> Void

    /// What `SIGHUP` can change without a restart.
    public struct Settings: Sendable, Equatable {
        public var access: AccessPolicy
        public var limits: ServerLimits
        public var lifecycle: LifecyclePolicies
        public var alerts: AlertSettings
        /// `[backup] recovery_public_key_file`, read at each backup.
        public var recoveryPublicKeyFile: String?
        /// How long without a backup before it is warned of (with a recovery key configured).
        public var backupWarnAfter: TimeInterval

        public init(
            access: AccessPolicy, limits: ServerLimits, lifecycle: LifecyclePolicies = LifecyclePolicies(),
            alerts: AlertSettings = AlertSettings(), recoveryPublicKeyFile: String? = nil, backupWarnAfter: TimeInterval = 36 * 3600
        ) {
            self.access = access
            self.limits = limits
            self.lifecycle = lifecycle
            self.alerts = alerts
            self.recoveryPublicKeyFile = recoveryPublicKeyFile
            self.backupWarnAfter = backupWarnAfter
        }
    }

    /// - Parameter onChange: called after every published change (systemd STATUS update).
    public init(
        vault: Vault, settings: Settings, stateDirectory: StateDirectory, logger: Logger, onChange: @escaping @Sendable () -> Void = {}
    ) async {
        self.vault = vault
        self.stateDirectory = stateDirectory
        self.board = SnapshotBoard(contents: await vault.contents, access: settings.access)
        self.settings = Mutex(settings)
        self.logger = logger
        self.changeHandler = onChange
        let installID = await vault.installID.hex
        await vault.observeAuditEntries { [logger] entry, line in Self.journal(entry, line, installID: installID, logger) }
    }

    /// A copy of an audit entry in the journal (which a pipeline can ship off the host), so a
    /// changed local file can be proven changed later.
    static func journal(_ entry: AuditEntry, _ line: AuditLine, installID: String, _ logger: Logger) {
        var metadata: Logger.Metadata = [
            "message_id": "\(KeywardAuditJournal.messageID)",
            "keyward.install_id": "\(installID)",
            "keyward.audit_seq": "\(entry.sequence)",
            "keyward.audit_hash": "\(line.hash)",
            "keyward.audit_mac": "\(entry.mac ?? "-")",
            "keyward.audit_action": "\(entry.action)",
            "keyward.audit_outcome": "\(entry.outcome)",
            "keyward.audit_uid": "\(entry.actor.uid)",
            "keyward.audit_pid": "\(entry.actor.pid)",
            "keyward.mode": "\(entry.mode?.rawValue ?? "-")",
        ]
        if let unit = entry.actor.unit { metadata["keyward.audit_unit"] = "\(unit)" }
        if let command = entry.actor.command { metadata["keyward.audit_command"] = "\(command)" }
        logger.notice(
            "audit #\(entry.sequence): \(entry.action) \(entry.mode?.rawValue ?? "-") \(entry.outcome) by uid \(entry.actor.uid)",
            metadata: metadata)
    }

    public var access: AccessPolicy { settings.withLock { $0.access } }
    /// The reloadable settings in force.
    public var currentSettings: Settings { settings.withLock { $0 } }
    public var lifecyclePolicies: LifecyclePolicies { settings.withLock { $0.lifecycle } }
    public var alerts: AlertSettings { settings.withLock { $0.alerts } }
    public var limits: ServerLimits { settings.withLock { $0.limits } }

    /// The peer's role in `mode` (without copying the policy: this is on every read).
    public func role(of peer: Peer, in mode: Mode) -> Role? {
        settings.withLock { $0.access.role(of: peer, in: mode) }
    }

    /// Whether readers of `mode` get the merchant private key.
    public func exportsPrivateKey(_ mode: Mode) -> Bool {
        settings.withLock { mode == .test ? $0.access.test.exportPrivateKey : $0.access.live.exportPrivateKey }
    }

    /// Whether `mode`'s snapshot of `state` carries the private key: the configuration asks
    /// for it and, under two-person control, a second operator approved it.
    public func exportPolicy(_ mode: Mode, _ state: ModeState) -> Bool {
        SnapshotBoard.exports(access[mode], state)
    }

    /// Brings the vault in line with the configuration's export settings under two-person
    /// control: a mode configured to export without an approval gets a request for a second
    /// operator (asked for by root, who owns the configuration: root cannot approve it), and
    /// a mode no longer configured to export loses its approval. Run at start and reload.
    public func reconcileExportApprovals() async {
        let contents = await vault.contents
        let now = await vault.now()
        let owner = Peer(uid: 0, gid: 0, pid: getpid(), groups: [])
        for mode in Mode.allCases {
            let access = access[mode]
            let state = contents[mode]
            do {
                if !access.exportPrivateKey, state.exportApproval != nil {
                    try await apply(.withdrawExportApproval, to: mode, by: Peer(uid: getuid(), gid: getgid(), pid: getpid(), groups: []))
                } else if access.exportPrivateKey, access.approvals > 1, state.exportApproval == nil,
                    !approvals.waiting(in: mode, at: now).contains(where: { $0.action == "export-private-key-on" })
                {
                    let request = try approvals.add(
                        .rotation(.approveExport(requestedByUID: 0)), mode: mode, by: owner, at: now, window: access.approvalWindow)
                    try await recordAccess(
                        .requestApproval, mode: mode, by: owner, outcome: .ok,
                        detail: "export-private-key-on: request \(request.id), until \(request.expiresAt.ISO8601Format())")
                    logger.notice(
                        "\(mode) mode's configuration exports the private key: it waits for a second operator (keywardctl approve \(mode) \(request.id))",
                        metadata: ["keyward.mode": "\(mode)"])
                }
            } catch {
                let text = (error as? any ReportableError)?.description ?? "\(error)"
                logger.error("cannot reconcile \(mode) mode's export approval: \(text)")
            }
        }
    }

    /// The vault's clock (the manual clock in tests).
    public func now() async -> Date { await vault.now() }

    /// Everything the vault holds now (no secrets leave through the documents built from it).
    public func contents() async -> VaultContents { await vault.contents }

    /// Where the vault is stored, its generation and its install.
    public func vaultInfo() async -> (location: String, generation: UInt64, installID: InstallID) {
        (vault.storeLocation, await vault.generation, await vault.installID)
    }

    /// The last `limit` audit entries, newest last.
    public func auditEntries(last limit: Int) async throws -> [AuditEntry] {
        try await vault.auditLines().suffix(limit).map { try $0.entry() }
    }

    /// Checks the audit log: the chain, and the vault's sealed last entry in it.
    public func checkAudit() async throws -> AuditCheck { try await vault.checkAudit() }

    /// Records an access (a refusal, an export) in the audit log.
    public func recordAccess(_ access: AuditAccess, mode: Mode?, by peer: Peer, outcome: AuditOutcome, detail: String?) async throws {
        try await vault.recordAccess(access, mode: mode, by: peer.actor, outcome: outcome, detail: detail)
    }

    /// A backup of the vault and its audit log, its data key wrapped to the configured
    /// recovery key (`backup.no-recovery-key` without one).
    public func backup(by peer: Peer) async throws -> (archive: [UInt8], manifest: BackupManifest) {
        guard let path = currentSettings.recoveryPublicKeyFile else {
            throw BackupError(
                code: .noRecoveryKey, message: "no recovery key is configured, so no backup can be made",
                hint:
                    "make one offline (keywardctl recovery-key generate), put its public half in [backup] recovery_public_key_file and reload"
            )
        }
        let key: RSAPublicKey
        do {
            key = try RSAPublicKey(parsing: try SecureFile.read(path).withUnsafeBytes { Array($0) })
        } catch let error as any ReportableError {
            throw BackupError(
                code: .noRecoveryKey, message: "the recovery public key \(path) does not read: \(error.message)", hint: error.hint)
        }
        let backup = try await vault.backup(recoveryKey: key, by: peer.actor)
        lastBackup.withLock { $0 = backup.manifest.createdAt }
        changeHandler()
        return backup
    }

    /// When the last backup was made (this daemon's, or the last `backup` entry of the audit
    /// log at start); nil: none.
    public var lastBackupAt: Date? { lastBackup.withLock { $0 } }

    /// Reads the time of the last backup from the audit log (at start).
    public func loadLastBackup() async {
        let entries = (try? await vault.auditLines().reversed().lazy.compactMap { try? $0.entry() }) ?? []
        let last = entries.first { $0.action == "backup" && $0.outcome == "ok" }?.time
        lastBackup.withLock { $0 = last }
    }

    /// Why backups need attention now (a recovery key is configured and the last backup is
    /// older than `[backup] warn_after_hours`, or there is none), or nil.
    public func backupWarning(at now: Date) -> String? {
        let settings = currentSettings
        guard settings.recoveryPublicKeyFile != nil else { return nil }
        guard let last = lastBackupAt else { return "no backup has been made yet (keywardctl backup create)" }
        let age = now.timeIntervalSince(last)
        guard age > settings.backupWarnAfter else { return nil }
        return "the last backup is \(Int(age / 3600)) hours old (\(last.ISO8601Format())): check keyward-backup.timer"
    }

    /// Seals the vault under a new master key of the same install, written first to a new
    /// file in the state directory (removed again if the rekey fails). Returns that file.
    public func rekey(by peer: Peer) async throws -> String {
        let newKey = try MasterKey.generate(installID: await vault.installID)
        let path = stateDirectory.newMasterKeyFile(at: await vault.now())
        try MasterKeyLoader.write(newKey, to: path)
        do {
            try await vault.rekey(to: .masterKey(newKey), by: peer.actor)
        } catch {
            unlink(path)
            throw error
        }
        return path
    }

    /// Replaces the reloadable settings (SIGHUP), and re-renders the snapshots if a mode's
    /// export policy changed.
    public func reload(_ new: Settings) async {
        let old = settings.withLock { current in
            defer { current = new }
            return current
        }
        let contents = await vault.contents
        for mode in Mode.allCases
        where old.access[mode].exportPrivateKey != new.access[mode].exportPrivateKey
            || old.access[mode].approvals != new.access[mode].approvals
        {
            board.republish(PublishedKeySet(mode: mode, state: contents[mode], exportPrivateKey: exportPolicy(mode, contents[mode])))
        }
        await reconcileExportApprovals()
        if old.lifecycle != new.lifecycle || old.alerts != new.alerts {
            _ = await refreshLifecycle()
            changeHandler()
        }
    }

    /// Applies `command` through the vault (saved before anything else happens), then
    /// publishes the mode's new snapshot if what it serves changed.
    @discardableResult
    public func apply(_ command: RotationCommand, to mode: Mode, by peer: Peer) async throws -> Transition {
        let transition: Transition
        do {
            transition = try await vault.apply(command, to: mode, by: peer.actor)
        } catch let error as StoreError where error.kind == .conflict {
            // The vault took the other node's commit: serve it.
            await publishAll()
            throw error
        }
        if transition.publishes {
            board.publish(
                PublishedKeySet(
                    mode: mode, state: transition.contents[mode], exportPrivateKey: exportPolicy(mode, transition.contents[mode])))
        }
        _ = await refreshLifecycle()
        logger.notice(
            "\(transition.command) applied",
            metadata: [
                "keyward.mode": "\(mode)",
                "keyward.action": "\(transition.command)",
                "keyward.version": "\(transition.contents[mode].current?.version ?? 0)",
                "keyward.peer_uid": "\(peer.uid)",
            ]
        )
        changeHandler()
        return transition
    }

    /// Adopts another node's commit from a shared store (if `generation` is nil or newer
    /// than this node's) and serves it.
    public func refreshFromStore(announced generation: UInt64?) async {
        if let generation, generation <= (await vault.generation) { return }
        do {
            guard try await vault.refresh() else { return }
        } catch {
            let text = (error as? any ReportableError)?.description ?? "\(error)"
            logger.error("cannot adopt the store's vault: \(text)")
            return
        }
        await publishAll()
        _ = await refreshLifecycle()
        let adopted = await vault.generation
        logger.notice("adopted another node's commit", metadata: ["keyward.generation": "\(adopted)"])
        changeHandler()
    }

    /// The shared store went away or came back: update the status line.
    public func storeReachabilityChanged(unreachableSince: Date?) {
        if let unreachableSince {
            logger.warning("store unreachable since \(unreachableSince.ISO8601Format()): serving the local copy; control actions fail")
        } else {
            logger.notice("store reachable again")
        }
        changeHandler()
    }

    /// Publishes both modes from the vault; the board keeps only newer revisions.
    private func publishAll() async {
        let contents = await vault.contents
        // Only a mode whose revision moved is rendered again (the board would drop the other).
        for mode in Mode.allCases where contents[mode].revision > board.current(mode).revision {
            board.publish(PublishedKeySet(mode: mode, state: contents[mode], exportPrivateKey: exportPolicy(mode, contents[mode])))
        }
    }

    // MARK: Lifecycle

    /// Computes what is due in both modes now, keeps it for health and the status line, and
    /// returns it.
    public func refreshLifecycle() async -> [Mode: ModeLifecycle] {
        let report = LifecycleReport.compute(await vault.contents, policies: lifecyclePolicies, at: await vault.now())
        lifecycleReport.withLock { $0 = report }
        return report
    }

    /// The last computed lifecycle (refreshed on every change and by the daemon's monitor).
    public var lifecycle: [Mode: ModeLifecycle] { lifecycleReport.withLock { $0 } }

    /// Items that are not ok, most urgent first (health's `warnings`).
    public var lifecycleWarnings: [LifecycleItem] {
        lifecycle.values.flatMap(\.items).filter { $0.state != .ok }.sorted { ($0.state, $0.mode) > ($1.state, $1.mode) }
    }

    /// "degraded: store unreachable since …", or nil when the store is fine.
    public var degradation: String? {
        vault.storeUnreachableSince.map { "degraded: store unreachable since \($0.ISO8601Format())" }
    }

    /// One line for `systemctl status`: `live v7 (12d old), test v3; test rotation pending`.
    /// `modes` limits it to what a peer may see (the peer's modes); systemd gets both.
    public func statusLine(modes: Set<Mode> = Set(Mode.allCases)) async -> String {
        let contents = await vault.contents
        let now = await vault.now()
        var parts: [String] = []
        var notes: [String] = []
        for mode in [Mode.live, .test] where modes.contains(mode) {
            let state = contents[mode]
            if let current = state.current {
                let days = Int(now.timeIntervalSince(current.committedAt) / 86_400)
                parts.append("\(mode) v\(current.version) (\(days)d old\(state.isActive ? "" : ", inactive"))")
            } else {
                parts.append("\(mode) no key set")
            }
            if let pending = state.pending { notes.append("\(mode) rotation \(pending.state(at: now))") }
        }
        if let degradation { notes.append(degradation) }
        if let urgent = lifecycleWarnings.first(where: { modes.contains($0.mode) }) { notes.append(urgent.message) }
        if let backup = backupWarning(at: now) { notes.append(backup) }
        return parts.joined(separator: ", ") + (notes.isEmpty ? "" : "; " + notes.joined(separator: ", "))
    }
}
