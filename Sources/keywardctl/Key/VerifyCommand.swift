import ArgumentParser
import KeywardAPI
import KeywardCommandLine
import KeywardCore
import KeywardCrypto

/// `keywardctl key verify`: checks an RSA2 (or legacy RSA) signature.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a base64 signature over data (exit 0 if valid, 1 if not)."
    )

    @Option(help: "The public key file.")
    var publicKey: String

    @Option(help: "The signature in base64.")
    var signature: String?

    @Option(help: "A file holding the signature in base64.")
    var signatureFile: String?

    @Option(name: .customLong("in"), help: "The signed data ('-' for standard input).")
    var input: String = "-"

    @Option(help: "RSA2 (SHA256withRSA) or RSA (legacy SHA1withRSA, verify-only).")
    var algorithm: SignatureAlgorithm = .rsa2

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard (signature == nil) != (signatureFile == nil) else {
            throw ValidationError("give the signature with exactly one of --signature or --signature-file")
        }
        if [publicKey, signatureFile ?? "", input].filter({ $0 == "-" }).count > 1 {
            throw ValidationError("only one input can come from standard input")
        }
    }

    func run() async throws {
        let key = try KeyFiles.publicKey(at: publicKey)
        let signatureText: String
        if let signature {
            signatureText = signature
        } else {
            signatureText = try SecureFile.read(signatureFile!).withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        }
        let signatureBytes = try Base64Text.decodeSignature(signatureText)
        let data = try SecureFile.read(input)
        let valid = data.withUnsafeBytes { key.isValidSignature(signatureBytes, for: $0, algorithm: algorithm) }
        if output.json {
            Output.printJSON(LocalVerification(valid: valid, algorithm: algorithm.rawValue, fingerprint: FingerprintForms(key.fingerprint)))
        } else {
            Output.printLine(
                valid
                    ? "valid \(algorithm.rawValue) signature (\(key.fingerprint))"
                    : "NOT VALID: the signature does not match the data and this public key")
        }
        if !valid { throw ExitCode(1) }
    }
}
