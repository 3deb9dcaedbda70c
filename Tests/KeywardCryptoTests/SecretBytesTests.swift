import Foundation
import KeywardCrypto
import Testing

@Suite("secret buffers")
struct SecretBytesTests {
    @Test("a secret never prints its bytes: description, interpolation, debug and dump are redacted")
    func redacted() throws {
        let marker = Array("SUPERSECRETMARKER".utf8)
        let secret = marker.withUnsafeBytes { SecretBytes(copying: $0) }
        var dumped = ""
        dump(secret, to: &dumped)
        for text in ["\(secret)", String(describing: secret), String(reflecting: secret), dumped] {
            #expect(!text.contains("SUPERSECRETMARKER"))
            #expect(!text.contains("83"))  // 'S' in decimal: no byte values either
            #expect(text.contains("redacted"))
        }
    }

    @Test("a private key never prints its key material")
    func privateKeyRedacted() throws {
        let key = try RSAPrivateKey.generate()
        let bare = try key.exported(as: PrivateKeyFormat(.pkcs1, .bare)).withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        var dumped = ""
        dump(key, to: &dumped)
        for text in ["\(key)", String(reflecting: key), dumped] {
            #expect(!text.contains(String(bare.prefix(80).suffix(40))))
        }
    }

    @Test("constant-time comparison compares contents and lengths")
    func comparison() {
        let a = [UInt8](repeating: 7, count: 32).withUnsafeBytes { SecretBytes(copying: $0) }
        let b = [UInt8](repeating: 7, count: 32).withUnsafeBytes { SecretBytes(copying: $0) }
        let c = [UInt8](repeating: 8, count: 32).withUnsafeBytes { SecretBytes(copying: $0) }
        let d = [UInt8](repeating: 7, count: 31).withUnsafeBytes { SecretBytes(copying: $0) }
        #expect(a.constantTimeEquals(b))
        #expect(!a.constantTimeEquals(c))
        #expect(!a.constantTimeEquals(d))
    }

    @Test("extracting a range copies just those bytes")
    func extracting() {
        let secret = [UInt8](0..<10).withUnsafeBytes { SecretBytes(copying: $0) }
        #expect(secret.extracting(2..<5).withUnsafeBytes { Array($0) } == [2, 3, 4])
        #expect(secret.extracting(3..<3).isEmpty)
    }
}
