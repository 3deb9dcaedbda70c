import Foundation
import KeywardCrypto
import KeywardTestSupport
import Testing

/// Keys Keyward writes, read back by the `openssl` command.
@Suite("keys Keyward writes are read by openssl")
struct KeyExportTests {
    let directory: TemporaryDirectory
    let openssl: OpenSSLReference
    let key: RSAPrivateKey

    init() throws {
        directory = try TemporaryDirectory()
        openssl = OpenSSLReference(directory: directory.path)
        key = try RSAPrivateKey.generate()
    }

    private func armour(_ bare: [UInt8], label: String) -> [UInt8] {
        let text = String(decoding: bare, as: UTF8.self)
        var lines = ["-----BEGIN \(label)-----"]
        var index = text.startIndex
        while index < text.endIndex {
            let end = text.index(index, offsetBy: 64, limitedBy: text.endIndex) ?? text.endIndex
            lines.append(String(text[index..<end]))
            index = end
        }
        lines.append("-----END \(label)-----")
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// The SPKI PEM that openssl derives from a private key file.
    private func opensslPublicPEM(ofPrivate name: String, inform: String) throws -> String {
        try openssl.run(["pkey", "-in", name, "-inform", inform, "-pubout"]).output
    }

    @Test("every private key format Keyward writes is read by openssl pkey as the same key")
    func privateFormats() throws {
        for structure in PrivateKeyStructure.allCases {
            for encoding in KeyEncoding.allCases {
                let format = PrivateKeyFormat(structure, encoding)
                var bytes = try key.exported(as: format).withUnsafeBytes { Array($0) }
                if encoding == .bare {
                    #expect(!bytes.contains(0x0A) && !bytes.contains(0x2D), "bare is one line with no armour")
                    bytes = armour(bytes, label: structure == .pkcs1 ? "RSA PRIVATE KEY" : "PRIVATE KEY")
                }
                let name = "key-\(format)"
                try directory.write(name, bytes)
                let derived = try opensslPublicPEM(ofPrivate: name, inform: encoding == .der ? "DER" : "PEM")
                #expect(derived == key.publicKey.pem, "openssl read \(format)")
                if encoding == .pem {
                    let first = String(decoding: bytes.prefix(40), as: UTF8.self)
                    #expect(first.hasPrefix(structure == .pkcs1 ? "-----BEGIN RSA PRIVATE KEY-----" : "-----BEGIN PRIVATE KEY-----"))
                }
            }
        }
    }

    @Test("every public key format Keyward writes is read by openssl as the same key")
    func publicFormats() throws {
        let reference = key.publicKey.pem
        for structure in PublicKeyStructure.allCases {
            for encoding in KeyEncoding.allCases {
                let format = PublicKeyFormat(structure, encoding)
                var bytes = try key.publicKey.exported(as: format)
                if encoding == .bare {
                    bytes = armour(bytes, label: structure == .spki ? "PUBLIC KEY" : "RSA PUBLIC KEY")
                }
                let name = "pub-\(format)"
                try directory.write(name, bytes)
                let inform = encoding == .der ? "DER" : "PEM"
                let arguments =
                    structure == .spki
                    ? ["pkey", "-pubin", "-in", name, "-inform", inform, "-pubout"]
                    : ["rsa", "-RSAPublicKey_in", "-in", name, "-inform", inform, "-pubout"]
                #expect(try openssl.run(arguments).output == reference, "openssl read \(format)")
            }
        }
    }

    @Test("a key survives every conversion with the same fingerprint")
    func roundTrips() throws {
        for structure in PrivateKeyStructure.allCases {
            for encoding in KeyEncoding.allCases {
                let exported = try key.exported(as: PrivateKeyFormat(structure, encoding))
                let again = try RSAPrivateKey(parsing: exported)
                #expect(again.sourceFormat == PrivateKeyFormat(structure, encoding))
                #expect(again.publicKey.fingerprint == key.publicKey.fingerprint)
            }
        }
    }

    @Test("generated keys have the asked-for size and pass openssl's own check", arguments: RSAKeySize.allCases)
    func generation(size: RSAKeySize) throws {
        let generated = size == .bits2048 ? key : try RSAPrivateKey.generate(size: size)
        #expect(generated.bits == size.rawValue)
        try directory.write(
            "gen-\(size.rawValue).pem", try generated.exported(as: PrivateKeyFormat(.pkcs1, .pem)).withUnsafeBytes { Array($0) })
        let check = try openssl.run(["pkey", "-in", "gen-\(size.rawValue).pem", "-check", "-noout"])
        #expect(check.output.contains("Key is valid"))
    }
}
