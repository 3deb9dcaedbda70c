import ArgumentParser
import Glibc
import KeywardAPI
import KeywardCommandLine
import KeywardCore
import KeywardCrypto

/// `keywardctl key generate`: a new RSA2 key pair in files, as Alipay's offline tool makes.
struct GenerateKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate an RSA key pair for Alipay RSA2 and write it to two new files.",
        discussion: """
            Writes PREFIX_private_key.EXT (mode 0600) and PREFIX_public_key.EXT (mode 0644), where \
            EXT is pem, der or txt (bare). Never overwrites a file unless --force is given. Prints \
            the public key in the one-line form the dashboard takes.
            """
    )

    @Argument(help: "Path prefix of the two files to write.")
    var prefix: String = "alipay_rsa2"

    @Option(help: "Modulus size in bits.")
    var bits: RSAKeySize = .bits2048

    @Option(help: "Encoding of both files: pem, der or bare (one-line base64).")
    var format: KeyEncoding = .pem

    @Option(help: "Structure of the private key: pkcs1 (Python SDKs) or pkcs8 (Java SDKs).")
    var structure: PrivateKeyStructure = .pkcs1

    @Option(help: "Structure of the public key: spki (what the dashboard takes) or pkcs1.")
    var publicStructure: PublicKeyStructure = .spki

    @Flag(help: "Replace the two files if they exist (the old private key is lost).")
    var force = false

    @OptionGroup var output: OutputOptions

    func run() async throws {
        let key = try RSAPrivateKey.generate(size: bits)
        let privateFormat = PrivateKeyFormat(structure, format)
        let publicFormat = PublicKeyFormat(publicStructure, format)
        let privatePath = "\(prefix)_private_key.\(format.fileExtension)"
        let publicPath = "\(prefix)_public_key.\(format.fileExtension)"
        if force {
            for path in [privatePath, publicPath] where unlink(path) != 0 && errno != ENOENT {
                throw FileError(
                    code: .unwritable, message: "cannot replace \(path): \(String(cString: strerror(errno)))",
                    hint: "check the directory's permissions")
            }
        }

        // Public first: if the private file cannot be written, the public one is removed,
        // so a failed run leaves nothing behind.
        try KeyFiles.writePublic(try key.publicKey.exported(as: publicFormat), to: publicPath)
        do {
            try KeyFiles.writePrivate(try key.exported(as: privateFormat), to: privatePath)
        } catch {
            _ = unlink(publicPath)
            throw error
        }

        let result = GeneratedKeyPair(
            bits: key.bits,
            privateKeyFile: privatePath,
            privateKeyFormat: privateFormat.description,
            publicKeyFile: publicPath,
            publicKeyFormat: publicFormat.description,
            fingerprint: FingerprintForms(key.publicKey.fingerprint),
            publicKeyToUpload: key.publicKey.bareBase64
        )
        if output.json { return Output.printJSON(result) }
        Output.printLine(
            """
            Generated a \(key.bits)-bit RSA key pair for RSA2 (SHA256withRSA).
              private key: \(privatePath) (\(privateFormat), mode 0600): keep it secret
              public key:  \(publicPath) (\(publicFormat), mode 0644)
              fingerprint: \(key.publicKey.fingerprint)
            The public key in the one-line form a dashboard takes (for a merchant key: Alipay+ \
            Developers > Key configuration; open platform 应用信息 > 接口加签方式):
            \(key.publicKey.bareBase64)
            """)
    }

}

extension FingerprintForms {
    init(_ fingerprint: KeyFingerprint) {
        self.init(sha256Hex: fingerprint.hex, sha256Base64: fingerprint.base64)
    }
}

extension KeyEncoding {
    var fileExtension: String {
        switch self {
        case .pem: "pem"
        case .der: "der"
        case .bare: "txt"
        }
    }
}
