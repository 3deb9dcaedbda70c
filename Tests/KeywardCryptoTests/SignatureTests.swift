import Foundation
import KeywardCrypto
import KeywardTestSupport
import Testing

/// RSA2 signatures cross-checked with `openssl dgst`.
@Suite("RSA2 signatures agree with openssl")
struct SignatureTests {
    let directory: TemporaryDirectory
    let openssl: OpenSSLReference
    let key: RSAPrivateKey
    let message = Array(
        "app_id=2021000000000000&biz_content={\"out_trade_no\":\"20150320010101001\"}&charset=utf-8&method=alipay.trade.query&sign_type=RSA2&timestamp=2026-11-25 09:00:00&version=1.0"
            .utf8)

    init() throws {
        directory = try TemporaryDirectory()
        openssl = OpenSSLReference(directory: directory.path)
        try openssl.generateRSA("key.pem")
        key = try RSAPrivateKey(parsing: try directory.read("key.pem").withUnsafeBytes { SecretBytes(copying: $0) })
        try directory.write("pub.pem", key.publicKey.pem)
        try directory.write("message", message)
    }

    @Test("a signature made by Keyward verifies with openssl dgst -sha256 -verify")
    func keywardSignsOpenSSLVerifies() throws {
        let signature = try message.withUnsafeBytes { try key.signature(for: $0) }
        try directory.write("sig", signature)
        let result = try openssl.run(["dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig", "message"])
        #expect(result.output.contains("Verified OK"))
    }

    @Test("a signature made by openssl verifies in Keyward and is byte for byte the same")
    func openSSLSignsKeywardVerifies() throws {
        let signature = try openssl.run(["dgst", "-sha256", "-sign", "key.pem", "message"]).standardOutput
        #expect(message.withUnsafeBytes { key.publicKey.isValidSignature(signature, for: $0) })
        #expect(try message.withUnsafeBytes { try key.signature(for: $0) } == signature)
    }

    @Test("a legacy SHA1withRSA signature from openssl verifies, but Keyward refuses to make one")
    func legacySHA1() throws {
        let signature = try openssl.run(["dgst", "-sha1", "-sign", "key.pem", "message"]).standardOutput
        #expect(message.withUnsafeBytes { key.publicKey.isValidSignature(signature, for: $0, algorithm: .rsa) })
        #expect(!message.withUnsafeBytes { key.publicKey.isValidSignature(signature, for: $0, algorithm: .rsa2) })
        #expect(throws: CryptoError.code(.signatureAlgorithmVerifyOnly)) {
            try message.withUnsafeBytes { try key.signature(for: $0, algorithm: .rsa) }
        }
    }

    @Test("a changed message, a changed signature, another key or garbage do not verify")
    func invalidSignatures() throws {
        let signature = try message.withUnsafeBytes { try key.signature(for: $0) }
        var changedMessage = message
        changedMessage[3] ^= 0x20
        var changedSignature = signature
        changedSignature[100] ^= 0x01
        let other = try RSAPrivateKey.generate()
        #expect(!changedMessage.withUnsafeBytes { key.publicKey.isValidSignature(signature, for: $0) })
        #expect(!message.withUnsafeBytes { key.publicKey.isValidSignature(changedSignature, for: $0) })
        #expect(!message.withUnsafeBytes { other.publicKey.isValidSignature(signature, for: $0) })
        #expect(!message.withUnsafeBytes { key.publicKey.isValidSignature([], for: $0) })
        #expect(!message.withUnsafeBytes { key.publicKey.isValidSignature([1, 2, 3], for: $0) })
        #expect(!message.withUnsafeBytes { key.publicKey.isValidSignature(signature + [0], for: $0) })
    }

    @Test("an empty message can be signed and verified")
    func emptyMessage() throws {
        let signature = try key.signature(for: "")
        #expect(key.publicKey.isValidSignature(signature, for: ""))
    }

    @Test("signature base64 round-trips and bad base64 is refused")
    func signatureBase64() throws {
        let signature = try key.signature(for: "x")
        #expect(try Base64Text.decodeSignature(Base64Text.encode(signature) + "\n") == signature)
        #expect(throws: CryptoError.code(.signatureBadBase64)) { try Base64Text.decodeSignature("not base64!") }
        #expect(throws: CryptoError.code(.signatureBadBase64)) { try Base64Text.decodeSignature("") }
    }
}
