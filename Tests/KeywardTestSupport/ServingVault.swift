public import KeywardCore
import KeywardCrypto

extension VaultFixture {
    /// Opens the fixture's vault with test mode set up, one key set committed and activated:
    /// the state both the router and the vault fuzz targets start from.
    public func openServingTestMode() async throws -> Vault {
        let vault = try await open()
        let actor = AuditActor(uid: 7, gid: 7, pid: 7)
        _ = try await vault.apply(.setUp(try TestKeys.account()), to: .test, by: actor)
        _ = try await vault.apply(
            .beginOneClick(privateKey: try TestKeys.key(1), platformKey: try TestKeys.key(2).publicKey), to: .test, by: actor)
        _ = try await vault.apply(.commit, to: .test, by: actor)
        _ = try await vault.apply(.activate, to: .test, by: actor)
        return vault
    }
}
