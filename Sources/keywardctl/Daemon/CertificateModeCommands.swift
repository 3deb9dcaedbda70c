import ArgumentParser
import KeywardAPI
import KeywardCommandLine
import KeywardCore
import KeywardCrypto

/// `--app-cert`, `--alipay-cert`, `--root-cert`: certificate mode's three files, read here
/// (PEM or DER) and sent as PEM.
struct CertificateFileOptions: ParsableArguments {
    @Option(help: "Certificate mode: the app public key certificate (appCertPublicKey_<APPID>.crt).") var appCert: String?
    @Option(help: "Certificate mode: the Alipay public key certificate (alipayCertPublicKey_RSA2.crt).") var alipayCert: String?
    @Option(help: "Certificate mode: the Alipay root certificate file (alipayRootCert.crt).") var rootCert: String?

    var given: Bool { appCert != nil || alipayCert != nil || rootCert != nil }

    func validate() throws {
        if given && (appCert == nil || alipayCert == nil || rootCert == nil) {
            throw ValidationError("certificate mode needs all three files: --app-cert, --alipay-cert and --root-cert")
        }
    }

    /// The three files, or nil when none was given.
    func files() throws -> CertificateFiles? {
        guard let appCert, let alipayCert, let rootCert else { return nil }
        return CertificateFiles(
            appCertificate: try Self.pem(appCert), alipayCertificate: try Self.pem(alipayCert),
            alipayRootCertificate: try Self.pem(rootCert))
    }

    /// A certificate file as PEM (DER is converted); a key or a CSR is refused here, naming
    /// the file.
    static func pem(_ path: String) throws -> String {
        do {
            let certificates = try X509Certificate.all(in: try SecureFile.read(path).withUnsafeBytes { Array($0) })
            return certificates.map(\.pem).joined(separator: "\n")
        } catch let error as CryptoError {
            throw CryptoError(code: error.kind, message: "\(path): \(error.message)", hint: error.hint)
        }
    }
}

/// `keywardctl csr MODE --common-name …`: a CSR over the pending rotation's merchant key, made
/// inside Keyward (the key never leaves it), to upload on the dashboard for certificate mode.
struct RotationCSRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "csr",
        abstract: "Write a CSR over the pending rotation's merchant key, for the dashboard's certificate mode (公钥证书).",
        discussion: """
            Begin the rotation first (rotate --generate, or --own-keys). Upload the CSR on the \
            dashboard, download the three certificate files, and give them with \
            platform-key MODE --app-cert … --alipay-cert … --root-cert ….
            """)

    @Argument(help: "test or live") var mode: Mode
    @Option(help: "Common name (CN): the app or company name as the dashboard shows it.") var commonName: String
    @Option(help: "Organization (O): the company.") var organization: String?
    @Option(help: "Organizational unit (OU).") var organizationalUnit: String?
    @Option(help: "Country (C), two letters (default CN).") var country: String?
    @Option(help: "Where to write the CSR (default: MODE.csr).") var out: String?
    @OptionGroup var daemon: DaemonOptions

    func run() async throws {
        let answer = try daemon.call(
            Endpoints.rotationCSR, mode,
            body: CSRRequest(commonName: commonName, organization: organization, organizationalUnit: organizationalUnit, country: country))
        let path = out ?? "\(mode).csr"
        try KeyFiles.writePublic(Array(answer.value.csrPem.utf8), to: path)
        daemon.show(answer) { "Wrote \(path), over \($0.mode)'s new merchant key \($0.merchantKeyFingerprint).\nnext: \($0.next)" }
    }
}

/// `keywardctl alipay-cert MODE --alipay-cert FILE`: Alipay renewed its certificate.
struct AlipayCertificateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alipay-cert",
        abstract: "Add Alipay's renewed public key certificate to a certificate-mode set (the old one stays, both served by SN).")

    @Argument(help: "test or live") var mode: Mode
    @Option(help: "The new alipayCertPublicKey_RSA2.crt.") var alipayCert: String
    @OptionGroup var daemon: DaemonOptions

    func run() async throws {
        let body = AlipayCertificateRequest(alipayCertificate: try CertificateFileOptions.pem(alipayCert))
        try daemon.control(Endpoints.addAlipayCertificate, mode, body: body) { status in
            let serving = status.current?.certificates?.filter { $0.certificate == "alipay" }.map(\.sn) ?? []
            return "\(status.mode) mode serves the Alipay certificates \(serving.joined(separator: ", ")) (newest last)."
        }
    }
}
