import Foundation
import KeywardCrypto
import KeywardTestSupport
import Testing

/// Keys made by the `openssl` command, in every form Keyward claims to read.
@Suite("reading keys that openssl made")
struct KeyParsingTests {
    let directory: TemporaryDirectory
    let openssl: OpenSSLReference
    let expectedFingerprint: String

    init() throws {
        directory = try TemporaryDirectory()
        openssl = OpenSSLReference(directory: directory.path)
        try openssl.generateRSA("key.pem")
        expectedFingerprint = try openssl.spkiFingerprint(privateKey: "key.pem")
    }

    private func privateKey(_ arguments: [String]) throws -> [UInt8] {
        try openssl.run(["pkey", "-in", "key.pem"] + arguments).standardOutput
    }

    private func publicKey(_ arguments: [String]) throws -> [UInt8] {
        try openssl.run(["pkey", "-in", "key.pem", "-pubout"] + arguments).standardOutput
    }

    @Test("private keys in PKCS#1 and PKCS#8, as PEM, DER and bare base64, are read and recognised")
    func privateKeyForms() throws {
        let pkcs8PEM = try privateKey([])
        let pkcs1PEM = try privateKey(["-traditional"])
        let cases: [([UInt8], PrivateKeyFormat)] = [
            (pkcs8PEM, PrivateKeyFormat(.pkcs8, .pem)),
            (pkcs1PEM, PrivateKeyFormat(.pkcs1, .pem)),
            (
                try openssl.run(["pkcs8", "-topk8", "-nocrypt", "-in", "key.pem", "-outform", "DER"]).standardOutput,
                PrivateKeyFormat(.pkcs8, .der)
            ),
            (try privateKey(["-traditional", "-outform", "DER"]), PrivateKeyFormat(.pkcs1, .der)),
            (Array(OpenSSLReference.bare(fromPEM: String(decoding: pkcs8PEM, as: UTF8.self)).utf8), PrivateKeyFormat(.pkcs8, .bare)),
            (Array(OpenSSLReference.bare(fromPEM: String(decoding: pkcs1PEM, as: UTF8.self)).utf8), PrivateKeyFormat(.pkcs1, .bare)),
        ]
        for (bytes, format) in cases {
            let key = try bytes.withUnsafeBytes { try RSAPrivateKey(parsing: $0) }
            #expect(key.sourceFormat == format)
            #expect(key.bits == 2048)
            #expect(key.publicKey.fingerprint.hex == expectedFingerprint, "fingerprint of \(format)")
        }
    }

    @Test("public keys as SPKI and PKCS#1, as PEM, DER and bare base64, are read and recognised")
    func publicKeyForms() throws {
        let spkiPEM = try publicKey([])
        let pkcs1PEM = try openssl.run(["rsa", "-in", "key.pem", "-RSAPublicKey_out"]).standardOutput
        let cases: [([UInt8], PublicKeyFormat)] = [
            (spkiPEM, PublicKeyFormat(.spki, .pem)),
            (pkcs1PEM, PublicKeyFormat(.pkcs1, .pem)),
            (try publicKey(["-outform", "DER"]), PublicKeyFormat(.spki, .der)),
            (
                try openssl.run(["rsa", "-in", "key.pem", "-RSAPublicKey_out", "-outform", "DER"]).standardOutput,
                PublicKeyFormat(.pkcs1, .der)
            ),
            (Array(OpenSSLReference.bare(fromPEM: String(decoding: spkiPEM, as: UTF8.self)).utf8), PublicKeyFormat(.spki, .bare)),
        ]
        for (bytes, format) in cases {
            let key = try RSAPublicKey(parsing: bytes)
            #expect(key.sourceFormat == format)
            #expect(key.fingerprint.hex == expectedFingerprint, "fingerprint of \(format)")
        }
    }

    @Test("Windows line ends, surrounding whitespace, a byte order mark and text before the armour are tolerated")
    func tolerantInput() throws {
        let pem = String(decoding: try privateKey(["-traditional"]), as: UTF8.self)
        let variants = [
            pem.replacingOccurrences(of: "\n", with: "\r\n"),
            "\n\n   " + pem + "\n\n  \t",
            "\u{FEFF}" + pem,
            "Bag Attributes\n    localKeyID: 01 02\n" + pem,
            "  " + OpenSSLReference.bare(fromPEM: pem) + " \r\n",
        ]
        for text in variants {
            let key = try Array(text.utf8).withUnsafeBytes { try RSAPrivateKey(parsing: $0) }
            #expect(key.publicKey.fingerprint.hex == expectedFingerprint)
        }
    }

    @Test("the public key derived from a private key is the one openssl derives")
    func derivedPublicKey() throws {
        let key = try privateKey([]).withUnsafeBytes { try RSAPrivateKey(parsing: $0) }
        let opensslPublic = String(decoding: try publicKey([]), as: UTF8.self)
        #expect(key.publicKey.pem == opensslPublic)
        #expect(key.publicKey.bareBase64 == OpenSSLReference.bare(fromPEM: opensslPublic))
        #expect(key.matches(try RSAPublicKey(parsing: opensslPublic)))
    }

    @Test("3072 and 4096-bit keys are read")
    func largerKeys() throws {
        for bits in [3072, 4096] {
            try openssl.generateRSA("key\(bits).pem", bits: bits)
            let bytes = try directory.read("key\(bits).pem")
            let key = try bytes.withUnsafeBytes { try RSAPrivateKey(parsing: $0) }
            #expect(key.bits == bits)
        }
    }
}
