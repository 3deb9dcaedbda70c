import Foundation
import KeywardAPI
import KeywardCrypto
import KeywardTestSupport
import Testing

/// The real `keywardctl` binary, checked against the real `openssl` command.
@Suite("keywardctl key: the offline key tool")
struct KeyToolTests {
    let directory: TemporaryDirectory
    let openssl: OpenSSLReference

    init() throws {
        directory = try TemporaryDirectory()
        openssl = OpenSSLReference(directory: directory.path)
    }

    @discardableResult
    private func keywardctl(_ arguments: [String], input: [UInt8] = []) throws -> ProcessResult {
        try ProcessRunner.run(ProcessRunner.product("keywardctl"), arguments, input: input, directory: directory.path)
    }

    /// The command's `--json` output, as the KeywardAPI type it prints.
    private func json<Output: Decodable>(_ result: ProcessResult, as type: Output.Type) throws -> Output {
        try APIJSON.decoder().decode(type, from: Data(result.standardOutput))
    }

    @Test("generate --format bare writes files that openssl reads after adding PEM armour, with modes 0600 and 0644")
    func generateBare() throws {
        let result = try keywardctl(["key", "generate", "--format", "bare", "--json", "merchant"])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try json(result, as: GeneratedKeyPair.self)
        #expect(object.privateKeyFormat == "pkcs1-bare")
        let privateBare = String(decoding: try directory.read("merchant_private_key.txt"), as: UTF8.self)
        let publicBare = String(decoding: try directory.read("merchant_public_key.txt"), as: UTF8.self)
        #expect(!privateBare.contains("\n") && !privateBare.contains("-----"))
        #expect(publicBare == object.publicKeyToUpload)

        let wrapped = "-----BEGIN RSA PRIVATE KEY-----\n" + privateBare + "\n-----END RSA PRIVATE KEY-----\n"
        try directory.write("armoured.pem", wrapped)
        let check = try openssl.run(["pkey", "-in", "armoured.pem", "-check", "-noout"])
        #expect(check.output.contains("Key is valid"))
        let derived = OpenSSLReference.bare(fromPEM: try openssl.run(["pkey", "-in", "armoured.pem", "-pubout"]).output)
        #expect(derived == publicBare)

        let privateMode =
            try FileManager.default.attributesOfItem(atPath: directory.file("merchant_private_key.txt"))[.posixPermissions] as? Int
        let publicMode =
            try FileManager.default.attributesOfItem(atPath: directory.file("merchant_public_key.txt"))[.posixPermissions] as? Int
        #expect(privateMode == 0o600)
        #expect(publicMode == 0o644)
    }

    @Test("generate refuses to overwrite and leaves the existing files as they were")
    func generateRefusesOverwrite() throws {
        try keywardctl(["key", "generate", "one"])
        let before = try directory.read("one_private_key.pem")
        let again = try keywardctl(["key", "generate", "one"])
        #expect(again.status == 2)
        #expect(again.standardError.contains("already exists"))
        #expect(try directory.read("one_private_key.pem") == before)
    }

    @Test("generate does not leave a public key behind when the private key file cannot be written")
    func generateLeavesNothingHalfDone() throws {
        try directory.write("two_private_key.pem", "occupied")
        let result = try keywardctl(["key", "generate", "two"])
        #expect(result.status == 2)
        #expect(!FileManager.default.fileExists(atPath: directory.file("two_public_key.pem")))
        #expect(try directory.read("two_private_key.pem") == Array("occupied".utf8))
    }

    @Test("sign and verify agree with openssl dgst, with exit status 0 for valid and 1 for not valid")
    func signAndVerify() throws {
        try openssl.generateRSA("key.pem")
        try openssl.run(["pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem"])
        try directory.write("data", "biz_content={}&method=alipay.trade.query&sign_type=RSA2")

        let signed = try keywardctl(["key", "sign", "--private-key", "key.pem", "--in", "data"])
        #expect(signed.status == 0)
        let signature = signed.output.trimmingCharacters(in: .whitespacesAndNewlines)
        try directory.write("sig.bin", try Base64Decoding.decode(signature))
        #expect(try openssl.run(["dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig.bin", "data"]).output.contains("Verified OK"))

        let opensslSignature = try openssl.run(["dgst", "-sha256", "-sign", "key.pem", "data"]).standardOutput
        let encoded = Data(opensslSignature).base64EncodedString()
        #expect(encoded == signature, "PKCS#1 v1.5 is deterministic: the same bytes")
        let verified = try keywardctl(["key", "verify", "--public-key", "pub.pem", "--signature", encoded, "--in", "data"])
        #expect(verified.status == 0)

        try directory.write("other", "biz_content={}&method=alipay.trade.refund&sign_type=RSA2")
        let refused = try keywardctl(["key", "verify", "--public-key", "pub.pem", "--signature", encoded, "--in", "other", "--json"])
        #expect(refused.status == 1)
        #expect(try json(refused, as: LocalVerification.self).valid == false)

        let fromStdin = try keywardctl(["key", "sign", "--private-key", "key.pem"], input: try directory.read("data"))
        #expect(fromStdin.output.trimmingCharacters(in: .whitespacesAndNewlines) == signature)
    }

    @Test("match says yes with status 0 and no with status 1")
    func match() throws {
        try openssl.generateRSA("a.pem")
        try openssl.generateRSA("b.pem")
        try openssl.run(["pkey", "-in", "a.pem", "-pubout", "-out", "a.pub"])
        #expect(try keywardctl(["key", "match", "--private-key", "a.pem", "--public-key", "a.pub"]).status == 0)
        let mismatch = try keywardctl(["key", "match", "--private-key", "b.pem", "--public-key", "a.pub", "--json"])
        #expect(mismatch.status == 1)
        #expect(try json(mismatch, as: KeyMatch.self).match == false)
    }

    @Test("convert goes between every form and fingerprint agrees with openssl")
    func convert() throws {
        try openssl.generateRSA("key.pem")
        let expected = try openssl.spkiFingerprint(privateKey: "key.pem")
        for (structure, format) in [("pkcs1", "bare"), ("pkcs8", "der"), ("pkcs1", "pem"), ("pkcs8", "bare")] {
            let out = "key-\(structure)-\(format)"
            let result = try keywardctl(["key", "convert", "--in", "key.pem", "--out", out, "--structure", structure, "--format", format])
            #expect(result.status == 0, "\(result.standardError)")
            let fingerprint = try json(try keywardctl(["key", "fingerprint", out, "--json"]), as: KeyDescription.self)
            #expect(fingerprint.fingerprint.sha256Hex == expected)
            #expect(fingerprint.format == "\(structure)-\(format)")
        }
        let publicResult = try keywardctl(["key", "convert", "--in", "key.pem", "--out", "pub.txt", "--public", "--format", "bare"])
        #expect(publicResult.status == 0)
        let publicBare = String(decoding: try directory.read("pub.txt"), as: UTF8.self)
        #expect(publicBare == OpenSSLReference.bare(fromPEM: try openssl.run(["pkey", "-in", "key.pem", "-pubout"]).output))
        let privateMode = try FileManager.default.attributesOfItem(atPath: directory.file("key-pkcs1-bare"))[.posixPermissions] as? Int
        #expect(privateMode == 0o600)
    }

    @Test(
        "bad input gets one line on stderr and exit status 2, never a crash",
        arguments: [
            ("empty", ""),
            ("garbage", "this is not a key at all"),
            ("truncated", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n"),
            ("wronglabel", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"),
        ]
    )
    func badInput(name: String, contents: String) throws {
        try directory.write(name, contents)
        for arguments in [
            ["key", "fingerprint", name],
            ["key", "sign", "--private-key", name, "--in", name],
            ["key", "convert", "--in", name, "--out", "out"],
        ] {
            let result = try keywardctl(arguments)
            #expect(!result.crashed)
            #expect(result.status == 2)
            let lines = result.standardError.split(separator: "\n")
            #expect(lines.count == 1, "one line: \(result.standardError)")
            #expect(lines.first?.hasPrefix("keywardctl: ") == true)
        }
    }

    @Test("EC, Ed25519 and 1024-bit RSA keys, a mismatched role and a missing file each get a one-line error and status 2")
    func badKeys() throws {
        try openssl.run(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ec.pem"])
        try openssl.run(["genpkey", "-algorithm", "ED25519", "-out", "ed.pem"])
        try openssl.generateRSA("small.pem", bits: 1024)
        try openssl.generateRSA("key.pem")
        try openssl.run(["pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem"])
        let cases: [([String], String)] = [
            (
                ["key", "sign", "--private-key", "ec.pem", "--in", "key.pem"],
                "this is an EC private key; Alipay RSA2 needs an RSA key of 2048 bits or more"
            ),
            (["key", "sign", "--private-key", "ed.pem", "--in", "key.pem"], "Ed25519"),
            (["key", "sign", "--private-key", "small.pem", "--in", "key.pem"], "1024-bit"),
            (["key", "sign", "--private-key", "pub.pem", "--in", "key.pem"], "a public key where a private key is expected"),
            (["key", "match", "--private-key", "key.pem", "--public-key", "key.pem"], "a private key where a public key is expected"),
            (["key", "sign", "--private-key", "absent.pem", "--in", "key.pem"], "absent.pem does not exist"),
            (["key", "generate", "--bits", "1024", "x"], "1024"),
            (["key", "verify", "--public-key", "pub.pem", "--signature", "%%%", "--in", "key.pem"], "not valid base64"),
        ]
        for (arguments, phrase) in cases {
            let result = try keywardctl(arguments)
            #expect(!result.crashed)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.standardError.contains(phrase), "\(arguments): \(result.standardError)")
            #expect(result.standardError.split(separator: "\n").count == 1)
        }
    }

    @Test("--json errors carry the same code as the library, on standard output")
    func jsonErrors() throws {
        try openssl.generateRSA("small.pem", bits: 1024)
        let result = try keywardctl(["key", "fingerprint", "small.pem", "--json"])
        #expect(result.status == 2)
        let error = try json(result, as: ErrorEnvelope.self).error
        #expect(error.code == CryptoErrorCode.keyTooSmall.rawValue)
        #expect(!error.hint.isEmpty)
    }
}

enum Base64Decoding {
    static func decode(_ text: String) throws -> [UInt8] {
        guard let data = Data(base64Encoded: text) else { throw TestSupportError("not base64: \(text)") }
        return Array(data)
    }
}
