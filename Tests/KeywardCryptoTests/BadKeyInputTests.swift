import Foundation
import KeywardCrypto
import KeywardTestSupport
import Testing

/// Every kind of bad key input gets its own error code, never a crash.
@Suite("refusing bad key input")
struct BadKeyInputTests {
    let directory: TemporaryDirectory
    let openssl: OpenSSLReference

    init() throws {
        directory = try TemporaryDirectory()
        openssl = OpenSSLReference(directory: directory.path)
    }

    private func parsePrivate(_ bytes: [UInt8]) -> CryptoError? {
        do {
            _ = try bytes.withUnsafeBytes { try RSAPrivateKey(parsing: $0) }
            return nil
        } catch {
            return error as? CryptoError
        }
    }

    private func parsePublic(_ bytes: [UInt8]) -> CryptoError? {
        do {
            _ = try RSAPublicKey(parsing: bytes)
            return nil
        } catch {
            return error as? CryptoError
        }
    }

    @Test(
        "text that is not a key is refused with a code that says why",
        arguments: [
            ("", CryptoErrorCode.keyEmpty),
            ("  \n\t\r\n", CryptoErrorCode.keyEmpty),
            ("hello, world! this is not a key", CryptoErrorCode.keyUnrecognized),
            ("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC user@host", CryptoErrorCode.keyUnrecognized),
            ("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", CryptoErrorCode.keyUnrecognized),
            ("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCA", CryptoErrorCode.keyBadBase64),
            ("-----BEGIN RSA PRIVATE KEY-----\nMIIEow==\n", CryptoErrorCode.keyPemTruncated),
            ("-----BEGIN FOO-----\nMIIEow==\n-----END FOO-----\n", CryptoErrorCode.keyUnrecognized),
            ("-----BEGIN RSA PRIVATE KEY-----\n!!!notbase64!!!\n-----END RSA PRIVATE KEY-----\n", CryptoErrorCode.keyPemDamaged),
            ("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n", CryptoErrorCode.keyDamaged),
        ]
    )
    func garbage(input: String, code: CryptoErrorCode) {
        #expect(parsePrivate(Array(input.utf8)) == .code(code))
        #expect(parsePublic(Array(input.utf8))?.code != nil)
    }

    @Test("random binary bytes are refused")
    func binaryGarbage() {
        var generator = SystemRandomNumberGenerator()
        for length in [1, 2, 17, 300, 2000] {
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            bytes[0] = 0x30
            #expect(parsePrivate(bytes) != nil)
            #expect(parsePublic(bytes) != nil)
        }
    }

    @Test("a PEM cut off in the middle is refused as truncated")
    func truncatedPEM() throws {
        try openssl.generateRSA("key.pem")
        let pem = try directory.read("key.pem")
        #expect(parsePrivate(Array(pem.prefix(pem.count / 2))) == .code(.keyPemTruncated))
    }

    @Test("a bare key cut short is refused")
    func truncatedBare() throws {
        try openssl.generateRSA("key.pem")
        let bare = OpenSSLReference.bare(fromPEM: String(decoding: try directory.read("key.pem"), as: UTF8.self))
        let error = parsePrivate(Array(bare.prefix(bare.count - 40).utf8))
        #expect(error != nil)
    }

    @Test("a PEM whose END label differs from its BEGIN label is refused")
    func mismatchedLabels() throws {
        try openssl.generateRSA("key.pem")
        let pem = String(decoding: try directory.read("key.pem"), as: UTF8.self)
            .replacingOccurrences(of: "-----END PRIVATE KEY-----", with: "-----END PUBLIC KEY-----")
        #expect(parsePrivate(Array(pem.utf8)) == .code(.keyPemTruncated))
    }

    @Test("a private key under the wrong PEM label is refused as damaged")
    func wrongLabelForContents() throws {
        try openssl.generateRSA("key.pem")
        let pem = String(decoding: try directory.read("key.pem"), as: UTF8.self)
            .replacingOccurrences(of: "PRIVATE KEY-----", with: "RSA PRIVATE KEY-----")
        #expect(parsePrivate(Array(pem.utf8)) == .code(.keyDamaged))
    }

    @Test("EC keys are refused, naming EC, in every form")
    func ecKeys() throws {
        try openssl.run(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ec.pem"])
        let pkcs8 = try directory.read("ec.pem")
        let traditional = try openssl.run(["pkey", "-in", "ec.pem", "-traditional"]).standardOutput
        let der = try openssl.run(["pkey", "-in", "ec.pem", "-outform", "DER"]).standardOutput
        let publicPEM = try openssl.run(["pkey", "-in", "ec.pem", "-pubout"]).standardOutput
        for bytes in [pkcs8, traditional, der] {
            let error = parsePrivate(bytes)
            #expect(error == .code(.keyNotRsa))
            #expect(error?.message.contains("EC") == true)
            #expect(error?.message.contains("2048 bits") == true)
        }
        let publicError = parsePublic(publicPEM)
        #expect(publicError == .code(.keyNotRsa))
        #expect(publicError?.message.contains("this is an EC public key") == true)
    }

    @Test("Ed25519 keys are refused, naming Ed25519")
    func ed25519Keys() throws {
        try openssl.run(["genpkey", "-algorithm", "ED25519", "-out", "ed.pem"])
        let privateError = parsePrivate(try directory.read("ed.pem"))
        #expect(privateError == .code(.keyNotRsa))
        #expect(privateError?.message.contains("Ed25519") == true)
        let publicError = parsePublic(try openssl.run(["pkey", "-in", "ed.pem", "-pubout"]).standardOutput)
        #expect(publicError?.message.contains("Ed25519") == true)
    }

    @Test("a 1024-bit RSA key is refused, as private and as public, in every encoding")
    func smallKey() throws {
        try openssl.generateRSA("small.pem", bits: 1024)
        let pem = try directory.read("small.pem")
        let der = try openssl.run(["pkey", "-in", "small.pem", "-traditional", "-outform", "DER"]).standardOutput
        let bare = Array(OpenSSLReference.bare(fromPEM: String(decoding: pem, as: UTF8.self)).utf8)
        for bytes in [pem, der, bare] {
            let error = parsePrivate(bytes)
            #expect(error == .code(.keyTooSmall))
            #expect(error?.message.contains("1024-bit") == true)
        }
        #expect(parsePublic(try openssl.run(["pkey", "-in", "small.pem", "-pubout"]).standardOutput) == .code(.keyTooSmall))
    }

    @Test("a private key where a public key is expected, and the reverse, are named as such")
    func wrongRole() throws {
        try openssl.generateRSA("key.pem")
        let privatePEM = try directory.read("key.pem")
        let privateDER = try openssl.run(["pkey", "-in", "key.pem", "-outform", "DER"]).standardOutput
        let publicPEM = try openssl.run(["pkey", "-in", "key.pem", "-pubout"]).standardOutput
        let publicDER = try openssl.run(["pkey", "-in", "key.pem", "-pubout", "-outform", "DER"]).standardOutput
        #expect(parsePublic(privatePEM) == .code(.keyExpectedPublic))
        #expect(parsePublic(privateDER) == .code(.keyExpectedPublic))
        #expect(parsePrivate(publicPEM) == .code(.keyExpectedPrivate))
        #expect(parsePrivate(publicDER) == .code(.keyExpectedPrivate))
    }

    @Test("passphrase-encrypted keys are refused with a hint to decrypt")
    func encryptedKeys() throws {
        try openssl.generateRSA("key.pem")
        let pkcs8 = try openssl.run(["pkey", "-in", "key.pem", "-aes256", "-passout", "pass:secret"]).standardOutput
        let traditional = try openssl.run(["rsa", "-in", "key.pem", "-aes256", "-traditional", "-passout", "pass:secret"]).standardOutput
        #expect(parsePrivate(pkcs8) == .code(.keyEncrypted))
        #expect(parsePrivate(traditional) == .code(.keyEncrypted))
    }

    @Test("a certificate is refused with a hint to extract its public key")
    func certificate() throws {
        try openssl.generateRSA("key.pem")
        let cert = try openssl.run(["req", "-new", "-x509", "-key", "key.pem", "-subj", "/CN=test", "-days", "1"]).standardOutput
        #expect(parsePublic(cert) == .code(.keyCertificate))
    }

    @Test("a private key with a damaged number fails the consistency check")
    func inconsistentKey() throws {
        try openssl.generateRSA("key.pem")
        var der = try openssl.run(["pkey", "-in", "key.pem", "-traditional", "-outform", "DER"]).standardOutput
        // Flip a bit near the end: inside the last CRT coefficient, so the DER still parses.
        der[der.count - 10] ^= 0x01
        #expect(parsePrivate(der) == .code(.keyDamaged))
    }

    @Test("a mismatched pair does not match")
    func mismatchedPair() throws {
        let one = try RSAPrivateKey.generate()
        let two = try RSAPrivateKey.generate()
        #expect(!one.matches(two.publicKey))
        #expect(one.matches(one.publicKey))
    }

    @Test("errors never quote the input")
    func errorsDoNotLeakInput() throws {
        try openssl.generateRSA("key.pem")
        let pem = String(decoding: try directory.read("key.pem"), as: UTF8.self)
        let body = OpenSSLReference.bare(fromPEM: pem)
        let damaged = pem.replacingOccurrences(of: "-----END PRIVATE KEY-----", with: "")
        let errors = [parsePrivate(Array(damaged.utf8)), parsePublic(Array(pem.utf8)), parsePublic(Array(body.utf8))]
        for error in errors {
            let text = "\(error.map { "\($0.message) \($0.hint)" } ?? "")"
            #expect(!text.isEmpty)
            for chunk in stride(from: 0, to: body.count - 16, by: 16) {
                let start = body.index(body.startIndex, offsetBy: chunk)
                #expect(!text.contains(body[start..<body.index(start, offsetBy: 16)]))
            }
        }
    }

    @Test("text with more than one key, or a key followed by other bytes, is refused as ambiguous, never cut to the first")
    func ambiguous() throws {
        try openssl.generateRSA("a.pem")
        try openssl.generateRSA("b.pem")
        let first = try directory.read("a.pem")
        let second = try directory.read("b.pem")
        let publicFirst = try openssl.run(["pkey", "-in", "a.pem", "-pubout"]).standardOutput
        let publicSecond = try openssl.run(["pkey", "-in", "b.pem", "-pubout"]).standardOutput
        #expect(parsePrivate(first + second) == .code(.keyAmbiguous))
        #expect(parsePrivate(first + Array("trailing words\n".utf8)) == .code(.keyAmbiguous))
        #expect(parsePublic(publicFirst + publicSecond) == .code(.keyAmbiguous))
        #expect(parsePrivate(first + Array("\n\n  \r\n".utf8)) == nil, "blank lines after the key are fine")
        let certificate = try openssl.run(["req", "-new", "-x509", "-key", "a.pem", "-subj", "/CN=x", "-days", "1"]).standardOutput
        #expect(parsePrivate(first + certificate) == .code(.keyAmbiguous))
        let message = parsePrivate(first + second)?.message ?? ""
        #expect(!message.contains("MII"), "the error quotes no key material")
    }

    @Test("a multi-prime RSA private key is refused; its public key stays usable")
    func multiPrime() throws {
        _ = try openssl.run([
            "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-pkeyopt", "rsa_keygen_primes:3", "-out", "mp.pem",
        ])
        let error = parsePrivate(try directory.read("mp.pem"))
        #expect(error == .code(.keyMultiPrime))
        #expect(error?.message.contains("3 primes") == true)
        let publicPEM = try openssl.run(["pkey", "-in", "mp.pem", "-pubout"]).standardOutput
        #expect(parsePublic(publicPEM) == nil)
        try openssl.generateRSA("two.pem")
        #expect(parsePrivate(try directory.read("two.pem")) == nil)
    }
}
