import ArgumentParser
import KeywardAPI
import KeywardCommandLine
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
                KeyMatch(
                    match: matches,
                    privateKeyFingerprint: FingerprintForms(privateKey.publicKey.fingerprint),
                    publicKeyFingerprint: FingerprintForms(publicKey.fingerprint)
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
}
