import ArgumentParser
import KeywardAPI
import KeywardCommandLine
import KeywardCrypto

/// `keywardctl key fingerprint`: the SHA-256 fingerprint Keyward uses to name a key.
struct FingerprintKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fingerprint",
        abstract: "Print the SHA-256 fingerprint (over the SPKI DER) of a public key, or of a private key's public half."
    )

    @Argument(help: "The key file ('-' for standard input).")
    var file: String = "-"

    @OptionGroup var output: OutputOptions

    func run() async throws {
        let parsed = try KeyFiles.anyKey(at: file)
        let key = parsed.publicKey
        let (kind, format): (String, String) =
            switch parsed {
            case .privateKey(let privateKey): ("private", privateKey.sourceFormat?.description ?? "")
            case .publicKey(let publicKey): ("public", publicKey.sourceFormat.description)
            }
        if output.json {
            Output.printJSON(KeyDescription(kind: kind, format: format, bits: key.bits, fingerprint: FingerprintForms(key.fingerprint)))
        } else {
            Output.printLine("\(key.fingerprint.hex)  SHA256:\(key.fingerprint.base64)  (\(kind) key, \(format), \(key.bits) bits)")
        }
    }
}
