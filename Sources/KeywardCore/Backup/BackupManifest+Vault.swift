import Foundation
import KeywardCrypto

extension BackupManifest {
    /// The manifest of `contents` at `generation`.
    static func describing(
        _ contents: VaultContents, installID: InstallID, generation: UInt64, at now: Date, auditLines: [AuditLine],
        recoveryKey: RSAPublicKey, sharedStore: Bool
    ) -> BackupManifest {
        BackupManifest(
            format: Int(BackupArchive.format), keywardVersion: KeywardVersion.current, installID: installID.hex, generation: generation,
            createdAt: now, modes: modes(contents), auditEntries: auditLines.count, auditHead: auditLines.last?.hash,
            recoveryKeyFingerprint: recoveryKey.fingerprint.hex, sharedStore: sharedStore ? true : nil)
    }

    /// What each mode serves, as a manifest and a restored vault must agree on.
    static func modes(_ contents: VaultContents) -> [Mode: BackupModeSummary] {
        var modes: [Mode: BackupModeSummary] = [:]
        for mode in Mode.allCases {
            let state = contents[mode]
            modes[mode] = BackupModeSummary(
                active: state.isActive, version: state.current?.version,
                merchantKeyFingerprint: state.current?.merchantPublicKey.fingerprint.hex,
                platformKeyFingerprint: state.current?.platformPublicKey.fingerprint.hex, identity: state.account?.summary)
        }
        return modes
    }
}
