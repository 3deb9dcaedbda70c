import Foundation
import KeywardCore
import KeywardCrypto
import KeywardTestSupport
import Synchronization

/// A backup file as `keywardctl backup verify` and `restore` read it, opened with the right
/// recovery key: the framing, the manifest, the unwrap and the authentication (which keeps
/// anything changed out of the vault and audit parsers, so a change must be refused there).
///
/// Invariant: every refusal is a `BackupError` with a code under `backup.`, never a trap or
/// an error of another kind.
enum BackupFuzzTarget {
    struct Fixture: Sendable {
        let recovery: RSAPrivateKey
        let archive: [UInt8]
    }

    private static let instance = Mutex<Fixture?>(nil)

    static func fixture() throws -> Fixture {
        if let fixture = instance.withLock({ $0 }) { return fixture }
        let made = try blocking {
            let vaultFixture = try VaultFixture()
            let vault = try await vaultFixture.openServingTestMode()
            let recovery = try TestKeys.key(170)
            let (archive, _) = try await vault.backup(recoveryKey: recovery.publicKey, by: .currentProcess)
            return Fixture(recovery: recovery, archive: archive)
        }
        instance.withLock { $0 = made }
        return made
    }

    static func run(_ input: [UInt8]) -> [String] {
        guard let fixture = try? fixture() else { return [] }
        do {
            _ = try BackupRestore.open(input, with: .recovery(fixture.recovery))
        } catch let error as BackupError {
            if !error.code.hasPrefix("backup.") { return ["a backup error outside backup.*: \(error.code)"] }
        } catch {
            return ["an error that is not a BackupError: \(type(of: error)) \((error as? any ReportableError)?.code ?? "")"]
        }
        return []
    }

    static func seeds() throws -> [[UInt8]] {
        let archive = try fixture().archive
        return [archive, Array(archive.prefix(archive.count / 2))]
    }
}
