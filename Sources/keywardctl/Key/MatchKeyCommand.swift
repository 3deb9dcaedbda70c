import ArgumentParser
import KeywardCrypto

/// `keywardctl key match`: does this private key belong to this public key?
struct MatchKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Check that a private key belongs to a public key (exit 0 if so, 1 if not)."
    )

    @Option(help: "The private key file.")
    var privateKey: String

    @Option(help: "The public key file (or text file holding the dashboard's one-line key).")
    var publicKey: String

    @OptionGroup var output: OutputOptions

    func run() async throws {
        let privateKey = try KeyFiles.privateKey(at: privateKey)
        let publicKey = try KeyFiles.publicKey(at: publicKey)
        let matches = privateKey.matches(publicKey)
        if output.json {
            Output.printJSON(
                Result(
                    match: matches,
                    privateKeyFingerprint: FingerprintJSON(privateKey.publicKey.fingerprint),
                    publicKeyFingerprint: FingerprintJSON(publicKey.fingerprint)
                )
            )
        } else if matches {
            Output.printLine("match: the private key belongs to the public key (\(publicKey.fingerprint))")
        } else {
            Output.printLine(
                """
                NO MATCH: the private key's public half is \(privateKey.publicKey.fingerprint), \
                the public key is \(publicKey.fingerprint)
                """)
        }
        if !matches { throw ExitCode(1) }
    }

    struct Result: Encodable {
        let match: Bool
        let privateKeyFingerprint: FingerprintJSON
        let publicKeyFingerprint: FingerprintJSON
    }
}
