import Foundation
import KeywardCrypto
import KeywardTestSupport
import Testing

/// RSA-OAEP-SHA256 key wrapping (backups' recovery key), against the openssl command.
@Suite("key wrapping for the recovery key")
struct KeyWrapTests {
    @Test("a wrapped secret unwraps with the key, and openssl pkeyutl unwraps the same bytes; another key is refused")
    func wrapUnwrap() throws {
        let directory = try TemporaryDirectory(prefix: "keyward-wrap")
        let key = try RSAPrivateKey.generate(size: .bits4096)
        let secret = try SecretBytes.random(count: 32)
        let wrapped = try key.publicKey.wrap(secret)
        #expect(wrapped.count == 512)
        let unwrapped = try key.unwrap(wrapped)
        #expect(unwrapped.withUnsafeBytes { Array($0) } == secret.withUnsafeBytes { Array($0) })
        #expect(try key.publicKey.wrap(secret) != wrapped, "OAEP is randomised")

        // The openssl command alone recovers it (a recovery that does not depend on Keyward).
        try directory.write("recovery.pem", try key.exported(as: PrivateKeyFormat(.pkcs8, .pem)).withUnsafeBytes { Array($0) })
        try directory.write("wrapped.bin", wrapped)
        let reference = OpenSSLReference(directory: directory.path)
        let result = try reference.run([
            "pkeyutl", "-decrypt", "-inkey", "recovery.pem", "-in", "wrapped.bin", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt",
            "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha256",
        ])
        #expect(result.standardOutput == secret.withUnsafeBytes { Array($0) })

        do {
            _ = try TestKeys.key(3).unwrap(wrapped)
            Issue.record("another key unwrapped it")
        } catch let error as CryptoError {
            #expect(error.code == "key.unwrap-failed")
        }
        var damaged = wrapped
        damaged[10] ^= 1
        #expect(throws: CryptoError.self) { _ = try key.unwrap(damaged) }
    }
}
