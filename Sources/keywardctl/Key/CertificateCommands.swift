import ArgumentParser
import Foundation
import KeywardAPI
import KeywardCommandLine
import KeywardCore
import KeywardCrypto

/// `keywardctl key csr`: a certificate signing request for the dashboard's certificate mode
/// (公钥证书), over an existing private key or a new pair.
struct CertificateRequestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "csr",
        abstract: "Write a certificate signing request (CSR) to upload on the dashboard for certificate mode (公钥证书).",
        discussion: """
            With --private-key the request is over that key; without it a new 2048-bit pair is \
            generated and its private key written beside the CSR (NAME_private_key.pem, mode 0600).
            """)

    @Argument(help: "The name of the files to write: NAME.csr (and NAME_private_key.pem for a new pair).") var name: String
    @Option(help: "An existing private key file.") var privateKey: String?
    @Option(help: "Common name (CN): the app or company name as the dashboard shows it.") var commonName: String
    @Option(help: "Organization (O): the company.") var organization: String = ""
    @Option(help: "Organizational unit (OU).") var organizationalUnit: String = ""
    @Option(help: "Country (C), two letters.") var country: String = "CN"
    @Option(help: "State or province (ST).") var state: String = ""
    @Option(help: "Locality (L).") var locality: String = ""
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let key: RSAPrivateKey
        var privateKeyFile: String?
        if let privateKey {
            key = try KeyFiles.privateKey(at: privateKey)
        } else {
            key = try RSAPrivateKey.generate()
            let path = "\(name)_private_key.pem"
            try KeyFiles.writePrivate(try key.exported(as: PrivateKeyFormat(.pkcs8, .pem)), to: path)
            privateKeyFile = path
        }
        let subject = CertificateRequest.Subject(
            country: country, state: state, locality: locality, organization: organization, organizationalUnit: organizationalUnit,
            commonName: commonName)
        let pem = try CertificateRequest.pem(for: key, subject: subject)
        let csrFile = "\(name).csr"
        try KeyFiles.writePublic(Array(pem.utf8), to: csrFile)
        let certificateSubject = subject.fieldsDescription
        if output.json {
            return Output.printJSON(
                CertificateRequestFile(
                    csrFile: csrFile, privateKeyFile: privateKeyFile, subject: certificateSubject,
                    publicKeyFingerprint: key.publicKey.fingerprint.hex))
        }
        Output.printLine(
            """
            Wrote \(csrFile) (\(certificateSubject)), over the key \(key.publicKey.fingerprint)\(privateKeyFile.map { "; the new private key is in \($0) (mode 0600): keep it secret" } ?? "").
            Upload the CSR on the dashboard (certificate mode, 公钥证书), then download the app public key certificate, \
            the Alipay public key certificate and the Alipay root certificate.
            """)
    }
}

extension CertificateRequest.Subject {
    /// RFC 2253 order, as certificates show it.
    var fieldsDescription: String {
        [("CN", commonName), ("OU", organizationalUnit), ("O", organization), ("L", locality), ("ST", state), ("C", country)]
            .filter { !$0.1.isEmpty }.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
    }
}

/// `keywardctl key cert-info`: what a certificate file holds, with Alipay's SNs.
struct CertificateInfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cert-info",
        abstract: "Show each certificate in a file (subject, issuer, serial, Alipay SN, validity) and the root SN of a root file.")

    @Argument(help: "A certificate file, PEM or DER (a root file may hold several).") var file: String
    @Option(help: "A private key file: say whether the certificate is over its public key (exit 1 if not).") var privateKey: String?
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let certificates = try X509Certificate.all(in: try SecureFile.read(file).withUnsafeBytes { Array($0) })
        let key = try privateKey.map { try KeyFiles.privateKey(at: $0) }
        let summaries = certificates.map { certificate in
            CertificateSummary(
                subject: certificate.subject, issuer: certificate.issuer, serial: certificate.serialDecimal, sn: certificate.alipaySN,
                signatureAlgorithm: certificate.signatureAlgorithm, notBefore: certificate.notBefore, notAfter: certificate.notAfter,
                publicKeyFingerprint: certificate.rsaPublicKey?.fingerprint.hex,
                matchesPrivateKey: key.map { key in certificate.rsaPublicKey.map { key.matches($0) } ?? false })
        }
        let rootSN = try? X509Certificate.alipayRootSN(certificates)
        if output.json {
            Output.printJSON(CertificateFileInfo(certificates: summaries, alipayRootSN: rootSN))
        } else {
            for (index, summary) in summaries.enumerated() {
                var lines = [
                    "certificate \(index + 1) of \(summaries.count): \(summary.subject)",
                    "  issuer: \(summary.issuer)",
                    "  serial: \(summary.serial)",
                    "  Alipay SN: \(summary.sn)",
                    "  signed with: \(summary.signatureAlgorithm)",
                    "  valid: \(Output.time(summary.notBefore)) to \(Output.time(summary.notAfter))",
                    "  key: \(summary.publicKeyFingerprint ?? "not an RSA key Keyward accepts")",
                ]
                if let matches = summary.matchesPrivateKey {
                    lines.append(matches ? "  matches the private key" : "  does NOT match the private key")
                }
                Output.printLine(lines.joined(separator: "\n"))
            }
            if let rootSN, certificates.count > 1 { Output.printLine("alipay_root_cert_sn: \(rootSN)") }
        }
        if summaries.contains(where: { $0.matchesPrivateKey == false }) { throw ExitCode(1) }
    }
}

/// `keywardctl key cert-sn`: the SN Alipay's requests carry for a certificate, or for a root file.
struct CertificateSNCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cert-sn",
        abstract: "Print app_cert_sn / alipay_cert_sn of a certificate, or alipay_root_cert_sn of a root file (--root).")

    @Argument(help: "A certificate file, PEM or DER.") var file: String
    @Flag(help: "The file is Alipay's root certificate file: print alipay_root_cert_sn.") var root = false
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let certificates = try X509Certificate.all(in: try SecureFile.read(file).withUnsafeBytes { Array($0) })
        let sn: String
        if root {
            sn = try X509Certificate.alipayRootSN(certificates)
        } else {
            // A certificate file may carry its issuing CA after it (Alipay's do): the SN is the
            // certificate's. Unrelated certificates (a root file) need --root.
            let chained = certificates.contains { certificate in
                certificates.contains { $0 !== certificate && $0.issuer == certificate.subject }
            }
            guard certificates.count == 1 || chained else {
                throw ValidationError("\(file) holds \(certificates.count) certificates: for a root file, add --root")
            }
            sn = CertificateFile(certificates).sn
        }
        if output.json { return Output.printJSON(CertificateSN(sn: sn, kind: root ? "root" : "certificate")) }
        Output.printLine(sn)
    }
}
