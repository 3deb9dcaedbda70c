public import Foundation
import KeywardCrypto

extension VaultContents {
    /// Applies `command` to `mode` at `now`: a pure function of its inputs.
    ///
    /// Returns the new contents and what must be done with them; throws a typed error for an
    /// illegal transition or a key that fails a check, and then nothing has changed.
    ///
    /// The transitions are those of docs/rotation.md:
    /// ```
    /// idle --begin generate / own keys--> awaitingPlatformKey --platform key--> ready
    /// idle --begin one-click (the dashboard's pair)------------------------------> ready
    /// ready --commit--> idle      any pending --abort--> idle
    /// idle --rollback (within the grace window)--> current and previous swap
    /// ```
    public func applying(_ command: RotationCommand, to mode: Mode, at now: Date, policy: RotationPolicy) throws -> Transition {
        var state = self[mode]
        var publishes = false
        var record = TransitionRecord()
        // A previous set whose grace window has closed is dropped on the next change.
        if let previous = state.previous, !previous.isWithinGrace(at: now) { state.previous = nil }

        switch command {
        case .editAccount(let edit):
            // Edits build on the staged identity if there is one, so a later email change
            // does not undo it.
            let account = try edit.applied(to: state.stagedAccount ?? state.account)
            try checkIdentity(account, mode: mode)
            if state.current != nil && !account.hasSameIdentity(as: state.account) {
                guard state.pending != nil else {
                    throw CredentialError(
                        code: .identityChangeNeedsRotation,
                        message:
                            "\(mode) mode serves a committed key set for \(state.account?.summary ?? "its identity"); a new identity (\(account.summary)) must go live with new keys",
                        hint:
                            "begin a rotation first (keywardctl rotate \(mode) …), then run this setup again: the identity is staged and goes live at the commit, with the new keys"
                    )
                }
                record.detail =
                    "staged for the pending rotation's commit: \(account.summary) (\(AccountEdit.changes(from: state.account, to: account)))"
                state.stagedAccount = account
            } else {
                record.detail = "\(account.summary) (\(AccountEdit.changes(from: state.account, to: account)))"
                state.account = account
                state.stagedAccount = nil
                publishes = state.isActive
            }

        case .activate:
            guard let current = state.current else { throw Self.noKeySet(mode) }
            guard state.account != nil else { throw Self.noAccount(mode) }
            guard !state.isActive else { throw Self.already(active: true, mode) }
            state.isActive = true
            publishes = true
            record.toVersion = current.version

        case .deactivate:
            guard state.isActive else { throw Self.already(active: false, mode) }
            state.isActive = false
            publishes = true

        case .beginGenerate(let generatedKey):
            state.pending = try awaitingPlatformKey(
                .generated, generatedKey, declaredPublicKey: nil, state: state, mode: mode, now: now, policy: policy)
            record.merchantKeyFingerprint = generatedKey.publicKey.fingerprint.hex

        case .beginOwnKeys(let privateKey, let publicKey):
            state.pending = try awaitingPlatformKey(
                .ownKeys, privateKey, declaredPublicKey: publicKey, state: state, mode: mode, now: now, policy: policy)
            record.merchantKeyFingerprint = privateKey.publicKey.fingerprint.hex

        case .beginDashboardOneClick(let privateKey, let platform):
            try beginChecks(state, mode: mode, now: now)
            try KeySetChecks.merchantPair(privateKey, declaredPublicKey: nil)
            try KeySetChecks.differsFromCurrent(privateKey, state: state, mode: mode)
            try KeySetChecks.platform(platform, merchantKey: privateKey, at: now)
            try KeySetChecks.notUsedByOtherMode([privateKey.publicKey, platform.publicKey], mode: mode, in: self)
            state.pending = .ready(
                ReadyRotation(
                    origin: .oneClick,
                    merchantPrivateKey: privateKey,
                    platform: platform,
                    startedAt: now,
                    expiresAt: now + policy.pendingLifetime(mode)
                )
            )
            record.merchantKeyFingerprint = privateKey.publicKey.fingerprint.hex
            record.platformKeyFingerprint = platform.publicKey.fingerprint.hex
            record.detail = Self.describe(platform)

        case .providePlatform(let platform):
            guard let pending = state.pending else { throw Self.noPending(mode, action: "take a platform key") }
            guard !pending.isExpired(at: now) else { throw Self.expired(mode) }
            guard case .awaitingPlatformKey(let awaiting) = pending else {
                throw RotationError(
                    code: .platformKeyAlreadySet,
                    message: "the pending \(mode) rotation already has its platform public key",
                    hint: "commit it, or abort it and begin again if the platform key was wrong"
                )
            }
            try KeySetChecks.platform(platform, merchantKey: awaiting.merchantPrivateKey, at: now)
            try KeySetChecks.notUsedByOtherMode([platform.publicKey], mode: mode, in: self)
            state.pending = .ready(
                ReadyRotation(
                    origin: awaiting.origin,
                    merchantPrivateKey: awaiting.merchantPrivateKey,
                    platform: platform,
                    startedAt: awaiting.startedAt,
                    expiresAt: awaiting.expiresAt
                )
            )
            record.merchantKeyFingerprint = awaiting.merchantPrivateKey.publicKey.fingerprint.hex
            record.platformKeyFingerprint = platform.publicKey.fingerprint.hex
            record.detail = Self.describe(platform)

        case .addAlipayCertificate(let certificates):
            guard let current = state.current, let stored = current.certificates else {
                throw CertificateError(
                    code: .notCertificateMode,
                    message: "\(mode) mode's key set \(state.current.map { "v\($0.version)" } ?? "") is not in certificate mode",
                    hint:
                        "an Alipay certificate renewal applies to a set committed with certificates; to switch \(mode) mode to certificate mode, rotate with a CSR (docs/certificates.md)"
                )
            }
            guard !certificates.isEmpty else { throw Self.noCertificate() }
            let file = CertificateFile(certificates)
            if stored.alipayCertificate(sn: file.sn) != nil {
                throw CertificateError(
                    code: .alreadyPresent, message: "\(mode) mode already has the Alipay certificate with SN \(file.sn)",
                    hint: "nothing to do; keywardctl status shows the certificates in use")
            }
            let renewed = try PlatformCertificates(
                app: stored.app.certificates, alipay: stored.alipay.map(\.certificates) + [file.certificates], root: stored.root)
            try KeySetChecks.chain(
                file, named: "the new Alipay certificate", to: stored.root,
                helpers: stored.alipay.flatMap(\.intermediates) + stored.app.intermediates, at: now)
            try KeySetChecks.platformKey(renewed.platformPublicKey, merchantKey: current.merchantPrivateKey)
            try KeySetChecks.notUsedByOtherMode([renewed.platformPublicKey], mode: mode, in: self)
            let kept = stored.adding(file, at: now)
            state.current = current.replacingPlatform(.certificates(kept))
            record.toVersion = current.version
            record.platformKeyFingerprint = kept.platformPublicKey.fingerprint.hex
            record.detail = "alipay_cert_sn \(file.sn) added; serving \(kept.alipay.map(\.sn).joined(separator: ", "))"
            publishes = true

        case .commit:
            guard let pending = state.pending else { throw Self.noPending(mode, action: "commit") }
            guard !pending.isExpired(at: now) else { throw Self.expired(mode) }
            guard case .ready(let ready) = pending else {
                throw RotationError(
                    code: .awaitingPlatformKey,
                    message: "the pending \(mode) rotation has no platform public key yet",
                    hint: "upload the merchant public key to the dashboard, then give Keyward the platform public key it returns"
                )
            }
            // The checks run again at commit: the other mode may have changed since, and a
            // certificate may have expired.
            try KeySetChecks.merchantPair(ready.merchantPrivateKey, declaredPublicKey: nil)
            try KeySetChecks.platform(ready.platform, merchantKey: ready.merchantPrivateKey, at: now)
            try KeySetChecks.notUsedByOtherMode([ready.merchantPrivateKey.publicKey, ready.platformPublicKey], mode: mode, in: self)
            let keySet = KeySet(
                mode: mode,
                version: state.lastVersion + 1,
                origin: ready.origin,
                merchantPrivateKey: ready.merchantPrivateKey,
                platform: ready.platform,
                createdAt: ready.startedAt,
                committedAt: now
            )
            record.fromVersion = state.current?.version
            record.toVersion = keySet.version
            record.merchantKeyFingerprint = keySet.merchantPublicKey.fingerprint.hex
            record.platformKeyFingerprint = keySet.platformPublicKey.fingerprint.hex
            state.previous = state.current.map { PreviousKeySet(keySet: $0, graceEndsAt: now + policy.graceWindow, account: state.account) }
            state.current = keySet
            state.pending = nil
            var notes: [String] = []
            if let previous = state.previous?.keySet, previous.version == record.fromVersion,
                previous.signingMethod != keySet.signingMethod
            {
                notes.append("signing method \(previous.signingMethod.rawValue) -> \(keySet.signingMethod.rawValue)")
            }
            if let certificates = keySet.certificates { notes.append(Self.describe(.certificates(certificates)) ?? "") }
            record.detail = notes.isEmpty ? nil : notes.joined(separator: "; ")
            if let staged = state.stagedAccount {
                record.detail = (record.detail.map { $0 + "; " } ?? "") + "identity now \(staged.summary)"
                state.account = staged
                state.stagedAccount = nil
            }
            state.lastVersion = keySet.version
            state.history.append(keySet.summary)
            if state.history.count > policy.historyLimit { state.history.removeFirst(state.history.count - policy.historyLimit) }
            publishes = true

        case .abort:
            guard let pending = state.pending else { throw Self.noPending(mode, action: "abort") }
            record.merchantKeyFingerprint = pending.merchantPrivateKey.publicKey.fingerprint.hex
            record.detail = pending.state(at: now).rawValue + (state.stagedAccount == nil ? "" : "; the staged identity change is dropped")
            state.pending = nil
            state.stagedAccount = nil

        case .rollback, .rollbackTo:
            guard let current = state.current, let previous = self[mode].previous else {
                throw RotationError(
                    code: .nothingToRollBack,
                    message: "\(mode) mode has no previous key set to roll back to",
                    hint: "rollback is possible only after a commit, within the grace window"
                )
            }
            guard previous.isWithinGrace(at: now) else {
                throw RotationError(
                    code: .graceWindowOver,
                    message: "the grace window of \(mode) v\(previous.keySet.version) ended at \(previous.graceEndsAt)",
                    hint: "roll forward instead: begin a new rotation"
                )
            }
            guard state.pending == nil else {
                throw RotationError(
                    code: .pendingExists,
                    message: "\(mode) mode has a pending rotation",
                    hint: "abort the pending rotation before rolling back"
                )
            }
            if case .rollbackTo(let version) = command, version != previous.keySet.version {
                throw RotationError(
                    code: .rollbackTargetMismatch,
                    message: "\(mode) mode would roll back to v\(previous.keySet.version), not v\(version) (it serves v\(current.version))",
                    hint: "keywardctl status shows the previous set; roll back with --to \(previous.keySet.version), or begin a rotation")
            }
            state.current = previous.keySet
            state.previous = PreviousKeySet(keySet: current, graceEndsAt: previous.graceEndsAt, account: state.account)
            if let account = previous.account, !account.hasSameIdentity(as: state.account) {
                record.detail = "identity back to \(account.summary)"
            }
            state.account = previous.account ?? state.account
            record.fromVersion = current.version
            record.toVersion = previous.keySet.version
            publishes = true

        case .approveExport(let requestedByUID):
            guard state.exportApproval == nil else {
                throw RotationError(
                    code: .exportUnchanged, message: "exporting \(mode) mode's private key is already approved",
                    hint: "nothing to do")
            }
            state.exportApproval = ExportApproval(approvedAt: now, requestedByUID: requestedByUID)
            record.detail = "export_private_key approved (asked for by uid \(requestedByUID))"
            publishes = true

        case .withdrawExportApproval:
            guard state.exportApproval != nil else {
                throw RotationError(
                    code: .exportUnchanged, message: "\(mode) mode has no export approval to withdraw", hint: "nothing to do")
            }
            state.exportApproval = nil
            record.detail = "export_private_key is off in the configuration: the approval is withdrawn"
            publishes = true

        case .closeGraceWindow:
            // The rule above already dropped it; this command makes that served and announced.
            guard let previous = self[mode].previous else {
                throw RotationError(
                    code: .nothingToRollBack, message: "\(mode) mode has no previous key set", hint: "nothing to close")
            }
            guard !previous.isWithinGrace(at: now) else {
                throw RotationError(
                    code: .graceWindowOpen,
                    message:
                        "the grace window of \(mode) v\(previous.keySet.version) is open until \(previous.graceEndsAt.ISO8601Format())",
                    hint: "it closes by itself then")
            }
            record.fromVersion = previous.keySet.version
            record.detail = "grace window of v\(previous.keySet.version) ended \(previous.graceEndsAt.ISO8601Format())"
            publishes = true
        }

        if publishes { state.revision += 1 }
        var contents = self
        contents[mode] = state
        return Transition(contents: contents, mode: mode, command: command.actionName, publishes: publishes, record: record)
    }

    /// The checks and the pending state shared by generate and own keys: both wait for the
    /// platform key that the dashboard returns for the uploaded merchant public key.
    private func awaitingPlatformKey(
        _ origin: KeySetOrigin,
        _ privateKey: RSAPrivateKey,
        declaredPublicKey: RSAPublicKey?,
        state: ModeState,
        mode: Mode,
        now: Date,
        policy: RotationPolicy
    ) throws -> PendingRotation {
        try beginChecks(state, mode: mode, now: now)
        try KeySetChecks.merchantPair(privateKey, declaredPublicKey: declaredPublicKey)
        try KeySetChecks.differsFromCurrent(privateKey, state: state, mode: mode)
        try KeySetChecks.notUsedByOtherMode([privateKey.publicKey], mode: mode, in: self)
        return .awaitingPlatformKey(
            AwaitingPlatformKey(
                origin: origin, merchantPrivateKey: privateKey, startedAt: now, expiresAt: now + policy.pendingLifetime(mode))
        )
    }

    /// A new rotation may begin when none is pending, or the pending one has expired (it is
    /// then replaced, and the audit log says so).
    private func beginChecks(_ state: ModeState, mode: Mode, now: Date) throws {
        // A key pair is registered to an App ID on the dashboard: without the mode's identity
        // the operator would be rotating keys for nobody.
        guard state.account != nil else { throw Self.noAccount(mode) }
        if let pending = state.pending, !pending.isExpired(at: now) {
            throw RotationError(
                code: .pendingExists,
                message: "\(mode) mode already has a pending rotation (\(pending.state(at: now)), begun \(pending.startedAt))",
                hint: "finish it (platform-key, commit) or abort it first"
            )
        }
    }

    /// The audit detail of a platform credential: certificate mode's SNs.
    static func describe(_ platform: PlatformCredential) -> String? {
        guard case .certificates(let certificates) = platform else { return nil }
        return
            "certificate mode: app_cert_sn \(certificates.appCertSN), alipay_cert_sn \(certificates.alipayCertSN), alipay_root_cert_sn \(certificates.alipayRootCertSN)"
    }

    static func noCertificate() -> CertificateError {
        CertificateError(code: .untrusted, message: "no certificate was given", hint: "give alipayCertPublicKey_RSA2.crt")
    }

    static func noPending(_ mode: Mode, action: String) -> RotationError {
        RotationError(
            code: .nonePending,
            message: "\(mode) mode has no pending rotation to \(action)",
            hint: "begin one first: keywardctl rotate \(mode) --generate (or --own-keys, --one-click)"
        )
    }

    static func expired(_ mode: Mode) -> RotationError {
        RotationError(
            code: .expired,
            message: "the pending \(mode) rotation has expired",
            hint: "abort it and begin a new one; nothing of it was served"
        )
    }

    static func noKeySet(_ mode: Mode) -> RotationError {
        RotationError(
            code: .noKeySet,
            message: "\(mode) mode has no committed key set",
            hint: "run a rotation and commit it before activating the mode"
        )
    }

    /// The rules an identity keeps against its mode and the other mode: a sandbox Client-ID
    /// only in test mode, and no PID, App ID or Client-ID in both modes.
    func checkIdentity(_ account: MerchantAccount, mode: Mode) throws {
        if mode == .live, let clientID = account.clientID, clientID.isSandbox {
            throw CredentialError(
                code: .sandboxClientInLive,
                message: "\(clientID) is a sandbox Client-ID; live mode takes the production Client-ID",
                hint: "put the sandbox Client-ID in test mode, and the production one (without SANDBOX_) in live mode")
        }
        let other = self[mode.other]
        for theirs in [other.account, other.stagedAccount].compactMap({ $0 }) {
            let shared: String? =
                if let pid = account.pid, pid == theirs.pid {
                    "PID \(pid)"
                } else if let appID = account.appID, appID == theirs.appID {
                    "App ID \(appID)"
                } else if let clientID = account.clientID, clientID == theirs.clientID {
                    "Client-ID \(clientID)"
                } else {
                    nil
                }
            if let shared {
                throw CredentialError(
                    code: .identityShared,
                    message: "\(shared) is already \(mode.other) mode's; test and live never share an identity",
                    hint: "give \(mode) mode its own \(mode == .test ? "sandbox" : "production") identity from the dashboard")
            }
        }
    }

    static func noAccount(_ mode: Mode) -> RotationError {
        RotationError(
            code: .noAccount,
            message: "\(mode) mode has no PID and App ID",
            hint: "set them up first (keywardctl setup \(mode) --pid … --app-id …), then run this again"
        )
    }

    static func already(active: Bool, _ mode: Mode) -> RotationError {
        RotationError(
            code: active ? .alreadyActive : .alreadyInactive, message: "\(mode) mode is already \(active ? "active" : "inactive")",
            hint: "nothing to do")
    }
}
