import Foundation
import KeywardCrypto
import KeywardTestSupport
import Testing

/// Certificates on OpenSSL's X509 API: read as openssl writes them, Alipay's SNs as openssl's
/// own fields give them, and anything else refused with what it is.
@Suite("certificates and Alipay SNs")
struct CertificateTests {
    let directory: TemporaryDirectory
    let openssl: OpenSSLReference

    init() throws {
        directory = try TemporaryDirectory(prefix: "keyward-certs")
        openssl = OpenSSLReference(directory: directory.path)
    }

    /// A self-signed RSA root and a certificate it issued (serial 777) over `key.pem`.
    func chain() throws {
        _ = try openssl.run([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "root.key", "-out", "root.pem", "-days", "10",
            "-subj", "/C=CN/O=Keyward Test/OU=CA/CN=Keyward Test Root",
        ])
        try openssl.generateRSA("key.pem")
        _ = try openssl.run(["req", "-new", "-key", "key.pem", "-subj", "/C=CN/O=Shop/CN=Shop App", "-out", "app.csr"])
        _ = try openssl.run([
            "x509", "-req", "-in", "app.csr", "-CA", "root.pem", "-CAkey", "root.key", "-set_serial", "777", "-days", "10", "-sha256",
            "-out", "app.pem",
        ])
    }

    @Test("fields, validity and the SN: md5 of the issuer (RFC 2253) and the decimal serial, as openssl prints them")
    func fieldsAndSN() throws {
        try chain()
        let certificate = try X509Certificate(parsing: try directory.read("app.pem"))
        let issuer = try openssl.run(["x509", "-in", "app.pem", "-noout", "-issuer", "-nameopt", "RFC2253"]).output
            .replacingOccurrences(of: "issuer=", with: "").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(certificate.issuer == issuer)
        #expect(certificate.issuer == "CN=Keyward Test Root,OU=CA,O=Keyward Test,C=CN")
        #expect(certificate.subject == "CN=Shop App,O=Shop,C=CN")
        #expect(certificate.serialDecimal == "777")
        let expected = try openssl.run(["md5"], input: Array((issuer + "777").utf8)).output.split(separator: " ").last.map(String.init)?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(certificate.alipaySN == expected)
        #expect(certificate.signatureAlgorithm == "sha256WithRSAEncryption")
        #expect(certificate.notAfter.timeIntervalSince(certificate.notBefore) > 9 * 86_400)
        let key = try directory.read("key.pem").withUnsafeBytes { try RSAPrivateKey(parsing: $0) }
        #expect(certificate.rsaPublicKey.map { key.matches($0) } == true)
        // DER reads the same.
        let der = try openssl.run(["x509", "-in", "app.pem", "-outform", "DER"]).standardOutput
        #expect(try X509Certificate(parsing: der).alipaySN == certificate.alipaySN)
    }

    @Test("a root file: its RSA certificates count for the root SN, an EC one does not; none counting is refused")
    func rootSN() throws {
        try chain()
        _ = try openssl.run([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ec.key", "-out", "ec.pem",
            "-days", "10", "-subj", "/C=CN/O=Keyward Test/CN=EC Root",
        ])
        let rsaRoot = try directory.read("root.pem")
        let ecRoot = try directory.read("ec.pem")
        let roots = try X509Certificate.all(in: rsaRoot + Array("\n".utf8) + ecRoot)
        #expect(roots.count == 2)
        #expect(try X509Certificate.alipayRootSN(roots) == (try X509Certificate(parsing: rsaRoot)).alipaySN)
        #expect(throws: CryptoError.code(.certificateUnreadable)) {
            try X509Certificate.alipayRootSN([try X509Certificate(parsing: ecRoot)])
        }
    }

    @Test("a private key, a CSR or garbage where a certificate is expected is refused, saying what it is")
    func refusals() throws {
        try chain()
        for (file, says) in [("key.pem", "private key"), ("app.csr", "certificate request")] {
            do {
                _ = try X509Certificate(parsing: try directory.read(file))
                Issue.record("\(file) was read as a certificate")
            } catch let error as CryptoError {
                #expect(error.kind == .certificateUnreadable && error.message.contains(says), "\(error.message)")
            }
        }
        #expect(throws: CryptoError.code(.certificateUnreadable)) { try X509Certificate(parsing: Array("not a certificate".utf8)) }
        let two = try directory.read("app.pem") + (try directory.read("root.pem"))
        #expect(throws: CryptoError.code(.certificateUnreadable)) { try X509Certificate(parsing: two) }
    }

    @Test("a CSR over the key, with the subject given, that openssl verifies")
    func certificateRequest() throws {
        let key = try RSAPrivateKey.generate()
        let pem = try CertificateRequest.pem(
            for: key, subject: .init(country: "SG", organization: "Shop Pte", commonName: "Shop App"))
        try directory.write("req.csr", pem)
        let checked = try openssl.run(["req", "-in", "req.csr", "-noout", "-verify", "-subject", "-nameopt", "RFC2253"])
        #expect(checked.status == 0 && checked.output.contains("CN=Shop App,O=Shop Pte,C=SG"), "\(checked.output) \(checked.standardError)")
        let publicKey = try openssl.run(["req", "-in", "req.csr", "-noout", "-pubkey"]).standardOutput
        #expect(try RSAPublicKey(parsing: publicKey) == key.publicKey)
        #expect(throws: CryptoError.self) { try CertificateRequest.pem(for: key, subject: .init(country: "China", commonName: "x")) }
    }
}
