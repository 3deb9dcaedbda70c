import Foundation
import KeywardCore
import KeywardCrypto
import KeywardTestSupport
import Testing

/// Every way a vault file can be wrong is refused with its own error, and the file is left
/// byte for byte as it was.
@Suite("refusing damaged or foreign vaults")
struct VaultDamageTests {
    /// A fixture with a vault holding a committed set and a pending rotation.
    private func populated() async throws -> VaultFixture {
        let fixture = try VaultFixture()
        let vault = try await fixture.open()
        try await vault.apply(.setUp(TestKeys.account()), to: .test, by: .currentProcess)
        try await vault.apply(
            .beginOneClick(privateKey: TestKeys.key(50), platformKey: TestKeys.key(51).publicKey), to: .test, by: .currentProcess)
        try await vault.apply(.commit, to: .test, by: .currentProcess)
        try await vault.apply(.beginGenerate(key: TestKeys.key(52)), to: .test, by: .currentProcess)
        return fixture
    }

    /// Writes `bytes` as the vault, tries to open it, and returns the error code; checks the
    /// file was not touched.
    private func openCode(_ fixture: VaultFixture, _ bytes: [UInt8], unlock: VaultUnlock? = nil) async throws -> String? {
        try Data(bytes).write(to: URL(fileURLWithPath: fixture.vaultPath))
        defer { #expect((try? fixture.vaultBytes()) == bytes, "the file must be left as it was") }
        do {
            _ = try await fixture.open(unlock: unlock, create: false)
            return nil
        } catch let error as any ReportableError {
            return error.code
        }
    }

    @Test("one flipped bit anywhere in the file is refused, and the file is untouched")
    func flippedBits() async throws {
        let fixture = try await populated()
        let original = try fixture.vaultBytes()
        var codes: [String: Int] = [:]
        for index in 0..<original.count {
            var damaged = original
            damaged[index] ^= UInt8(1 << (index % 8))
            let code = try await openCode(fixture, damaged)
            #expect(code != nil, "flipping a bit of byte \(index) was not noticed")
            codes[code ?? "accepted", default: 0] += 1
        }
        // Header fields have their own errors; the rest fails authentication.
        #expect(codes["vault.tampered", default: 0] > original.count / 2)
        #expect(codes.keys.contains("vault.not-a-vault"))
        print("flipped one bit in each of \(original.count) bytes: \(codes.sorted { $0.key < $1.key })")
    }

    @Test("a truncated file is refused at every length, and the file is untouched")
    func truncation() async throws {
        let fixture = try await populated()
        let original = try fixture.vaultBytes()
        for length in [0, 1, 7, 8, 100, 159, 160, 175, 176, original.count / 2, original.count - 17, original.count - 1] {
            let code = try await openCode(fixture, Array(original.prefix(length)))
            #expect(code == (length < 8 ? "vault.not-a-vault" : "vault.truncated"), "length \(length)")
        }
        #expect(try await openCode(fixture, original + [0]) == "vault.corrupt")
    }

    @Test("a header from a newer format version says to upgrade")
    func newerFormat() async throws {
        let fixture = try await populated()
        var bytes = try fixture.vaultBytes()
        bytes[9] = 4  // today's format is 3
        #expect(try await openCode(fixture, bytes) == "vault.newer-format")
    }

    @Test("the wrong master key is refused as such")
    func wrongMasterKey() async throws {
        let fixture = try await populated()
        let otherKeySameInstall = try MasterKey.generate(installID: fixture.masterKey.installID)
        #expect(try await openCode(fixture, try fixture.vaultBytes(), unlock: .masterKey(otherKeySameInstall)) == "vault.wrong-master-key")
    }

    @Test("a vault of another install is refused as such")
    func otherInstall() async throws {
        let fixture = try await populated()
        let foreign = try await populated()
        #expect(try await openCode(fixture, try foreign.vaultBytes()) == "vault.other-install")
    }

    @Test("a file that is not a vault is refused as such")
    func notAVault() async throws {
        let fixture = try VaultFixture()
        #expect(try await openCode(fixture, Array("{\"test\": {}}".utf8)) == "vault.not-a-vault")
    }
}
