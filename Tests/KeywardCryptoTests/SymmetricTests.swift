import Foundation
import KeywardCrypto
import Testing

private func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
}

private func bytes(hex: String) -> [UInt8] {
    var result: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        result.append(UInt8(hex[index..<next], radix: 16)!)
        index = next
    }
    return result
}

private func secret(_ bytes: [UInt8]) -> SecretBytes {
    bytes.withUnsafeBytes { SecretBytes(copying: $0) }
}

private func array(_ secret: SecretBytes) -> [UInt8] {
    secret.withUnsafeBytes { Array($0) }
}

@Suite("AES-256-GCM")
struct AESGCMTests {
    let key = try! SecretBytes.random(count: 32)
    let plaintext = secret(Array("the vault body: test and live key sets".utf8))
    let context = Array("KWV1 header".utf8)

    @Test("sealing then opening gives back the plaintext; each seal uses a new nonce")
    func roundTrip() throws {
        let box = try AESGCM.seal(plaintext, key: key, authenticating: context)
        #expect(array(try AESGCM.open(box, key: key, authenticating: context)) == array(plaintext))
        let again = try AESGCM.seal(plaintext, key: key, authenticating: context)
        #expect(again.nonce != box.nonce)
        #expect(again.ciphertext != box.ciphertext)
    }

    @Test("an empty plaintext seals and opens")
    func empty() throws {
        let box = try AESGCM.seal(secret([]), key: key, authenticating: [])
        #expect(try AESGCM.open(box, key: key, authenticating: []).isEmpty)
    }

    @Test("a flipped bit in ciphertext, tag or nonce is refused")
    func flippedBits() throws {
        let box = try AESGCM.seal(plaintext, key: key, authenticating: context)
        for index in 0..<box.ciphertext.count {
            var ciphertext = box.ciphertext
            ciphertext[index] ^= 0x04
            #expect(throws: CryptoError.code(.aeadAuthenticationFailed)) {
                try AESGCM.open(.init(nonce: box.nonce, ciphertext: ciphertext, tag: box.tag), key: key, authenticating: context)
            }
        }
        for index in 0..<16 {
            var tag = box.tag
            tag[index] ^= 0x80
            #expect(throws: CryptoError.code(.aeadAuthenticationFailed)) {
                try AESGCM.open(.init(nonce: box.nonce, ciphertext: box.ciphertext, tag: tag), key: key, authenticating: context)
            }
        }
        var nonce = box.nonce
        nonce[0] ^= 1
        #expect(throws: CryptoError.code(.aeadAuthenticationFailed)) {
            try AESGCM.open(.init(nonce: nonce, ciphertext: box.ciphertext, tag: box.tag), key: key, authenticating: context)
        }
    }

    @Test("a wrong key or wrong associated data is refused")
    func wrongKeyOrContext() throws {
        let box = try AESGCM.seal(plaintext, key: key, authenticating: context)
        #expect(throws: CryptoError.code(.aeadAuthenticationFailed)) {
            try AESGCM.open(box, key: try SecretBytes.random(count: 32), authenticating: context)
        }
        #expect(throws: CryptoError.code(.aeadAuthenticationFailed)) {
            try AESGCM.open(box, key: key, authenticating: Array("KWV1 headeR".utf8))
        }
        #expect(throws: CryptoError.code(.aeadAuthenticationFailed)) {
            try AESGCM.open(box, key: key, authenticating: [])
        }
    }

    @Test("a key of the wrong size is refused")
    func keySize() {
        #expect(throws: CryptoError.code(.aeadBadKeySize)) {
            try AESGCM.seal(plaintext, key: secret([1, 2, 3]), authenticating: [])
        }
    }
}

@Suite("key derivation and digests")
struct KeyDerivationTests {
    @Test("scrypt matches the RFC 7914 test vector")
    func scryptVector() throws {
        let output = try KeyDerivation.scrypt(
            passphrase: secret(Array("password".utf8)),
            salt: Array("NaCl".utf8),
            parameters: .init(n: 1024, r: 8, p: 16),
            outputByteCount: 64
        )
        #expect(
            hex(array(output))
                == "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"
        )
    }

    @Test("scrypt parameters outside the accepted range are refused before any work")
    func scryptBounds() {
        for parameters in [KeyDerivation.ScryptParameters(n: 1000, r: 8, p: 1), .init(n: 1 << 30, r: 8, p: 1), .init(n: 1024, r: 0, p: 1)] {
            #expect(throws: CryptoError.code(.kdfBadParameters)) {
                try KeyDerivation.scrypt(passphrase: secret([1]), salt: [], parameters: parameters, outputByteCount: 32)
            }
        }
    }

    @Test("HKDF-SHA256 matches RFC 5869 test case 1")
    func hkdfVector() throws {
        let output = try KeyDerivation.hkdfSHA256(
            key: secret([UInt8](repeating: 0x0b, count: 22)),
            salt: bytes(hex: "000102030405060708090a0b0c"),
            info: bytes(hex: "f0f1f2f3f4f5f6f7f8f9"),
            outputByteCount: 42
        )
        #expect(hex(array(output)) == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
    }

    @Test("SHA-256 matches the FIPS 180-2 'abc' vector")
    func sha256Vector() {
        #expect(hex(SHA256.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("the random generator gives distinct output of the asked-for length")
    func random() throws {
        let one = try SecureRandom.bytes(count: 32)
        let two = try SecureRandom.bytes(count: 32)
        #expect(one.count == 32 && one != two)
    }
}
