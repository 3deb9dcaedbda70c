import Foundation
public import KeywardCrypto
import Synchronization

/// A stand-in for Alipay's CA, made with the `openssl` command (an independent implementation):
/// an RSA root signed with sha256WithRSAEncryption, an EC root beside it in the root file (the
/// root SN must skip it), and an issuing CA that issues app and Alipay certificates, each file
/// carrying the issuing CA after the leaf as Alipay's do.
public final class TestCertificateAuthority: Sendable {
    public let directory: TemporaryDirectory
    private let openssl: OpenSSLReference
    /// The root file as the dashboard gives it: the RSA root, a blank line, the EC root.
    public let rootFile: String

    public init(name: String = "Keyward Test") throws {
        directory = try TemporaryDirectory(prefix: "keyward-ca")
        openssl = OpenSSLReference(directory: directory.path)
        try openssl.run([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "root.key", "-out", "root.pem", "-days", "60", "-sha256",
            "-subj", "/C=CN/O=\(name)/OU=Certification Authority/CN=\(name) Root",
        ])
        try openssl.run([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ec.key", "-out", "ec.pem",
            "-days", "60", "-subj", "/C=CN/O=\(name)/OU=EC/CN=\(name) EC Root",
        ])
        try directory.write("ca.ext", "basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\n")
        try directory.write("leaf.ext", "basicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature\n")
        try openssl.run([
            "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.csr", "-subj",
            "/C=CN/O=\(name)/OU=Certification Authority/CN=\(name) Class 2 R1",
        ])
        try openssl.run([
            "x509", "-req", "-in", "ca.csr", "-CA", "root.pem", "-CAkey", "root.key", "-set_serial", "1001", "-days", "60", "-sha256",
            "-extfile", "ca.ext", "-out", "ca.pem",
        ])
        let root = try String(contentsOfFile: directory.file("root.pem"), encoding: .utf8)
        let ec = try String(contentsOfFile: directory.file("ec.pem"), encoding: .utf8)
        rootFile = root.trimmingCharacters(in: .newlines) + "\n\n" + ec.trimmingCharacters(in: .newlines) + "\n"
        try directory.write("alipayRootCert.crt", rootFile)
    }

    public var rootCertificates: [X509Certificate] { get throws { try X509Certificate.all(in: Array(rootFile.utf8)) } }

    /// The app public key certificate over `key` (leaf, then the issuing CA), from a CSR made by
    /// Keyward's key tool, as the dashboard issues it.
    public func appCertificate(for key: RSAPrivateKey, serial: Int = 4_242_424_242, days: Int = 30) throws -> String {
        let csr = try CertificateRequest.pem(for: key, subject: .init(organization: "Keyward Test", commonName: "Keyward Test App"))
        let name = Self.fileName("app-\(serial)")
        try directory.write("\(name).csr", csr)
        return try issue(name, days: days, serial: serial)
    }

    /// A certificate for a CSR made elsewhere (Keyward's `csr` of a pending rotation).
    public func certificate(forCSR pem: String, serial: Int, days: Int = 30) throws -> String {
        let name = Self.fileName("csr-\(serial)")
        try directory.write("\(name).csr", pem)
        return try issue(name, days: days, serial: serial)
    }

    /// The leaf of a PEM file as DER (what some downloads are).
    public static func der(_ pem: String) throws -> [UInt8] { try certificates(pem)[0].der }

    /// A new Alipay public key certificate over a fresh key; returns the file (leaf, then the
    /// issuing CA) and the key that signs the platform's responses.
    public func alipayCertificate(serial: Int = 777, days: Int = 30) throws -> (file: String, key: RSAPrivateKey) {
        let name = Self.fileName("alipay-\(serial)")
        try openssl.run([
            "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(name).key", "-out", "\(name).csr", "-subj",
            "/C=CN/O=Alipay Test/OU=Open Platform/CN=Alipay Test Cert \(serial)",
        ])
        let file = try issue(name, days: days, serial: serial)
        let key = try directory.read("\(name).key").withUnsafeBytes { try RSAPrivateKey(parsing: $0) }
        return (file, key)
    }

    /// Signs `name`.csr with the issuing CA; the file is the leaf followed by the CA.
    private func issue(_ name: String, days: Int, serial: Int) throws -> String {
        try openssl.run([
            "x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", String(serial), "-days",
            String(days), "-sha256", "-extfile", "leaf.ext", "-out", "\(name).pem",
        ])
        let leaf = try String(contentsOfFile: directory.file("\(name).pem"), encoding: .utf8)
        let ca = try String(contentsOfFile: directory.file("ca.pem"), encoding: .utf8)
        let file = leaf + ca
        try directory.write("\(name).crt", file)
        return file
    }

    /// A file name of its own for each certificate made: tests running at once share one
    /// authority and may ask for the same serial (two once wrote the same CSR file).
    private static func fileName(_ base: String) -> String {
        let number = made.withLock { made in
            made += 1
            return made
        }
        return "\(base)-\(number)"
    }

    private static let made = Mutex(0)

    /// Certificates of a PEM text.
    public static func certificates(_ text: String) throws -> [X509Certificate] { try X509Certificate.all(in: Array(text.utf8)) }
}
