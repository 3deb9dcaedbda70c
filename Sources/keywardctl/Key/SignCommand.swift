import ArgumentParser
import KeywardAPI
import KeywardCommandLine
import KeywardCore
import KeywardCrypto

/// `keywardctl key sign`: an RSA2 signature over the bytes of a file or standard input.
struct SignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign data with RSA2 (SHA256withRSA) and print the signature in base64."
    )

    @Option(help: "The private key file.")
    var privateKey: String

    @Option(name: .customLong("in"), help: "The data to sign ('-' for standard input), signed byte for byte.")
    var input: String = "-"

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if privateKey == "-" && input == "-" {
            throw ValidationError("the private key and the data cannot both come from standard input")
        }
    }

    func run() async throws {
        let key = try KeyFiles.privateKey(at: privateKey)
        let data = try SecureFile.read(input)
        let signature = try data.withUnsafeBytes { try key.signature(for: $0, algorithm: .rsa2) }
        let encoded = Base64Text.encode(signature)
        if output.json {
            Output.printJSON(
                LocalSignature(
                    algorithm: SignatureAlgorithm.rsa2.rawValue, signature: encoded,
                    fingerprint: FingerprintForms(key.publicKey.fingerprint)
                ))
        } else {
            Output.printLine(encoded)
        }
    }
}
