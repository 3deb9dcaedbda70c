public import KeywardCore
public import KeywardCrypto
import Synchronization

/// Distinct RSA-2048 keys for tests, generated once per test process and shared (key
/// generation costs tens of milliseconds each).
public enum TestKeys {
    private static let cache = Mutex<[Int: RSAPrivateKey]>([:])

    /// The key with this index: the same key every time in one process.
    public static func key(_ index: Int) throws -> RSAPrivateKey {
        if let key = cache.withLock({ $0[index] }) { return key }
        let generated = try RSAPrivateKey.generate()
        return cache.withLock { keys in
            if let existing = keys[index] { return existing }
            keys[index] = generated
            return generated
        }
    }

    /// A merchant account that passes validation.
    public static func account(_ mode: Mode = .test) throws -> MerchantAccount {
        try MerchantAccount(
            pid: PID("2088\(mode == .test ? "101" : "202")000000001"),
            appID: AppID("2021\(mode == .test ? "001" : "002")000000001"),
            accountEmail: AccountEmail("finance@example.com")
        )
    }
}
