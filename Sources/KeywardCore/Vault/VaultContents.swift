public import KeywardCrypto

/// Everything the vault holds: both modes, and the last audit entry (so the audit log can be
/// completed after a crash between the vault write and the log append).
public struct VaultContents: Sendable {
    public internal(set) var test: ModeState
    public internal(set) var live: ModeState
    public internal(set) var lastAuditEntry: AuditLine?

    public init(test: ModeState = ModeState(), live: ModeState = ModeState(), lastAuditEntry: AuditLine? = nil) {
        self.test = test
        self.live = live
        self.lastAuditEntry = lastAuditEntry
    }

    public subscript(mode: Mode) -> ModeState {
        get { mode == .test ? test : live }
        set {
            if mode == .test { test = newValue } else { live = newValue }
        }
    }

    /// Fingerprints of every key a mode holds: current, previous and pending, merchant and
    /// platform. A key in this set may not be used by the other mode.
    public func fingerprintsInUse(by mode: Mode) -> Set<KeyFingerprint> {
        let state = self[mode]
        var fingerprints = Set<KeyFingerprint>()
        for keySet in [state.current, state.previous?.keySet].compactMap({ $0 }) {
            fingerprints.insert(keySet.merchantPublicKey.fingerprint)
            fingerprints.insert(keySet.platformPublicKey.fingerprint)
            for file in keySet.certificates?.alipay ?? [] {
                if let key = file.leaf.rsaPublicKey { fingerprints.insert(key.fingerprint) }
            }
        }
        if let pending = state.pending {
            fingerprints.insert(pending.merchantPrivateKey.publicKey.fingerprint)
            if let platform = pending.platformPublicKey { fingerprints.insert(platform.fingerprint) }
        }
        return fingerprints
    }
}
