import Foundation
import KeywardCore
import KeywardCrypto
import KeywardTestSupport
import Synchronization

/// The vault file reader. An even first byte: the rest is a whole vault file, opened with
/// the right master key (header, key check, unwrap, decrypt). An odd first byte: the rest is
/// a decrypted body for the body parser, which authentication would otherwise keep out of
/// the fuzzer's reach.
///
/// Invariant: every refusal is a `VaultError` with a code under `vault.`, never a trap or an
/// error of another kind; the daemon turns exactly these into its exit status and message.
enum VaultFuzzTarget {
    struct Fixture: Sendable {
        let masterKey: MasterKey
        let file: [UInt8]
        let body: [UInt8]
    }

    private static let instance = Mutex<Fixture?>(nil)

    /// A real vault (test mode committed and active) and its decrypted body.
    static func fixture() throws -> Fixture {
        if let fixture = instance.withLock({ $0 }) { return fixture }
        let made = try blocking {
            let vaultFixture = try VaultFixture()
            let vault = try await vaultFixture.openServingTestMode()
            let body = try VaultBodyCodec.encode(await vault.contents).withUnsafeBytes { Array($0) }
            return Fixture(masterKey: vaultFixture.masterKey, file: try vaultFixture.vaultBytes(), body: body)
        }
        instance.withLock { $0 = made }
        return made
    }

    static func run(_ input: [UInt8]) -> [String] {
        guard let selector = input.first, let fixture = try? fixture() else { return [] }
        let rest = Array(input.dropFirst())
        do {
            if selector & 1 == 0 {
                _ = try VaultCodec.open(rest, unlock: .masterKey(fixture.masterKey))
            } else {
                _ = try rest.withUnsafeBytes { try VaultBodyCodec.decode(SecretBytes(copying: $0)) }
            }
        } catch let error as VaultError {
            if !error.code.hasPrefix("vault.") { return ["a vault error outside vault.*: \(error.code)"] }
        } catch {
            return ["an error that is not a VaultError: \(type(of: error)) \((error as? any ReportableError)?.code ?? "")"]
        }
        return []
    }

    static func seeds() throws -> [[UInt8]] {
        let fixture = try fixture()
        return [[0] + fixture.file, [1] + fixture.body, [1] + (try certificateModeBody())]
    }

    /// A body whose test set is in certificate mode (the fixed chain of the certificates
    /// target), so the fuzzer starts inside the certificates' decoding too.
    static func certificateModeBody() throws -> [UInt8] {
        let app = try X509Certificate.all(in: Array(CertificateFuzzTarget.appFile.utf8))
        let root = try X509Certificate.all(in: Array(CertificateFuzzTarget.rootFile.utf8))
        let certificates = try PlatformCertificates(app: app, alipay: [app], root: root)
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let keySet = KeySet(
            mode: .test, version: 1, origin: .generated, merchantPrivateKey: try TestKeys.key(0), platform: .certificates(certificates),
            createdAt: now, committedAt: now)
        let contents = VaultContents(test: ModeState(account: try TestKeys.account(), isActive: true, current: keySet, lastVersion: 1))
        return try VaultBodyCodec.encode(contents).withUnsafeBytes { Array($0) }
    }
}
