import ArgumentParser
import KeywardAPI
import KeywardCommandLine
import KeywardCore

/// `keywardctl rotate MODE --generate | --own-keys … | --one-click …`, named as the dashboards
/// name the flows.
struct RotateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Begin a key rotation.",
        discussion: """
            --one-click: the dashboard's one-click replacement generated the pair: give the private \
            key it showed once and the platform public key it returned (certificate mode: the three \
            certificate files instead); the rotation is ready to commit.
            --generate: Keyward generates the pair and prints the public key to paste into the \
            dashboard; then run platform-key with the platform public key the dashboard returns.
            --own-keys: bring a pair made with an offline tool; then platform-key.
            Certificate mode (docs/certificates.md): after --generate or --own-keys, keywardctl csr \
            MODE makes the CSR to upload; platform-key then takes --app-cert, --alipay-cert and --root-cert.
            (Before 0.2, --one-click meant --generate and --import meant --one-click; --import still works.)
            """
    )

    @Argument(help: "test or live") var mode: Mode
    @Flag(help: "The dashboard's one-click replacement: its private key and platform key.") var oneClick = false
    @Flag(help: "Keyward generates the new key pair.") var generate = false
    @Flag(help: "Use your own key pair.") var ownKeys = false
    @Flag(name: .customLong("import"), help: .hidden) var legacyImport = false
    @Option(help: "Key size for --generate.") var bits = 2048
    @Option(help: "The private key file (--own-keys, --one-click).") var privateKey: String?
    @Option(help: "The public key file (--own-keys, optional: it must match).") var publicKey: String?
    @Option(help: "The platform public key file (--one-click).") var platformKey: String?
    @OptionGroup var certificates: CertificateFileOptions
    @OptionGroup var daemon: DaemonOptions

    private var dashboardOneClick: Bool { oneClick || legacyImport }

    func validate() throws {
        guard [dashboardOneClick, generate, ownKeys].filter({ $0 }).count == 1, !(oneClick && legacyImport) else {
            throw ValidationError("choose one of --one-click, --generate or --own-keys")
        }
        if ownKeys && privateKey == nil { throw ValidationError("--own-keys needs --private-key FILE") }
        if dashboardOneClick && (privateKey == nil || (platformKey == nil) == !certificates.given) {
            throw ValidationError(
                "--one-click needs --private-key FILE and either --platform-key FILE or (certificate mode) --app-cert, --alipay-cert and --root-cert: what the dashboard's one-click replacement gave; for a pair Keyward generates, use --generate"
            )
        }
        if !dashboardOneClick && certificates.given {
            throw ValidationError("with --generate or --own-keys the certificates come later: keywardctl csr, then platform-key")
        }
    }

    func run() async throws {
        let body: RotationRequest
        if generate {
            body = .generate(bits: bits)
        } else if ownKeys {
            body = .ownKeys(privateKey: try readText(privateKey!), publicKey: try publicKey.map(readText))
        } else {
            body = RotationRequest(
                kind: .oneClick, privateKey: try readText(privateKey!), platformKey: try platformKey.map(readText),
                certificates: try certificates.files())
        }
        let answer = try daemon.call(Endpoints.beginRotation, mode, body: body, timeout: 120)
        daemon.show(answer, text: PlatformKeyCommand.describe)
    }
}

/// `keywardctl platform-key MODE --platform-key FILE`, or in certificate mode
/// `--app-cert … --alipay-cert … --root-cert …`.
struct PlatformKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "platform-key",
        abstract: "Give the pending rotation what the dashboard returned: the platform public key, or the three certificates.")

    @Argument(help: "test or live") var mode: Mode
    @Option(help: "The platform (Alipay / Alipay+) public key file.") var platformKey: String?
    @OptionGroup var certificates: CertificateFileOptions
    @OptionGroup var daemon: DaemonOptions

    func validate() throws {
        guard (platformKey == nil) == certificates.given else {
            throw ValidationError(
                "give --platform-key FILE (public key mode) or --app-cert, --alipay-cert and --root-cert (certificate mode), not both")
        }
    }

    func run() async throws {
        let body =
            if let files = try certificates.files() {
                PlatformKeyRequest(certificates: files)
            } else {
                PlatformKeyRequest(platformKey: try readText(platformKey!))
            }
        let answer = try daemon.call(Endpoints.platformKey, mode, body: body)
        daemon.show(answer, text: Self.describe)
    }

    static func describe(_ rotation: PendingRotationStatus) -> String {
        var lines = ["\(rotation.mode) rotation (\(rotation.origin.rawValue)): \(rotation.state)"]
        if rotation.state == .awaitingPlatformKey {
            lines.append("Paste this public key into the dashboard:")
            lines.append(rotation.merchantPublicKeyToUpload)
        }
        lines.append("merchant key: \(rotation.merchantKeyFingerprint)")
        if let platform = rotation.platformKeyFingerprint {
            lines.append("platform key: \(platform)\(rotation.signingMethod == .certificate ? " (certificate mode)" : "")")
        }
        lines.append("expires: \(Output.time(rotation.expiresAt))")
        lines.append("next: \(rotation.next)")
        return lines.joined(separator: "\n")
    }
}
