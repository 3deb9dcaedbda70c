import ArgumentParser
import KeywardAPI
import KeywardCommandLine
import KeywardCrypto

/// `keywardctl key convert`: any supported form in, the asked-for form out.
struct ConvertKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a private or public key between PEM, DER and bare base64, PKCS#1, PKCS#8 and SPKI.",
        discussion: """
            The input form is detected. By default the structure is kept and only the encoding \
            changes. With --public, a private key's public half is written instead. A private \
            key is written with mode 0600, a public one with 0644; an existing file is never \
            replaced. --out - writes to standard output.
            """
    )

    @Option(name: .customLong("in"), help: "The key to read ('-' for standard input).")
    var input: String = "-"

    @Option(name: .customLong("out"), help: "Where to write ('-' for standard output).")
    var outputPath: String

    @Option(help: "Encoding to write: pem, der or bare.")
    var format: KeyEncoding = .pem

    @Option(help: "Structure to write: pkcs1 or pkcs8 (private), spki or pkcs1 (public). Default: as read.")
    var structure: AnyKeyStructure?

    @Flag(help: "Write the public key of a private key.")
    var `public` = false

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if output.json && outputPath == "-" {
            throw ValidationError("--json and --out - both use standard output; write the key to a file")
        }
    }

    func run() async throws {
        let parsed = try KeyFiles.anyKey(at: input)
        let inputDescription: String
        let kind: String
        let written: String
        switch parsed {
        case .privateKey(let key) where !self.public:
            inputDescription = key.sourceFormat?.description ?? "generated"
            let target = PrivateKeyFormat(try privateStructure(default: key.sourceFormat?.structure ?? .pkcs1), format)
            try KeyFiles.writePrivate(try key.exported(as: target), to: outputPath)
            (kind, written) = ("private", target.description)
        case .privateKey(let key):
            inputDescription = key.sourceFormat?.description ?? "generated"
            let target = PublicKeyFormat(try publicStructure(default: .spki), format)
            try KeyFiles.writePublic(try key.publicKey.exported(as: target), to: outputPath)
            (kind, written) = ("public", target.description)
        case .publicKey(let key):
            inputDescription = key.sourceFormat.description
            let target = PublicKeyFormat(try publicStructure(default: key.sourceFormat.structure), format)
            try KeyFiles.writePublic(try key.exported(as: target), to: outputPath)
            (kind, written) = ("public", target.description)
        }

        let result = ConvertedKey(
            inputFormat: inputDescription,
            outputKind: kind,
            outputFormat: written,
            outputFile: outputPath,
            fingerprint: FingerprintForms(parsed.publicKey.fingerprint)
        )
        if output.json { return Output.printJSON(result) }
        if outputPath != "-" {
            Output.printLine(
                "Wrote the \(kind) key as \(written) to \(outputPath) (read as \(inputDescription); \(parsed.publicKey.fingerprint)).")
        }
    }

    private func privateStructure(default fallback: PrivateKeyStructure) throws -> PrivateKeyStructure {
        switch structure {
        case nil: return fallback
        case .pkcs1: return .pkcs1
        case .pkcs8: return .pkcs8
        case .spki:
            throw ValidationError("spki is a public key structure; for a private key use pkcs1 or pkcs8, or add --public")
        }
    }

    private func publicStructure(default fallback: PublicKeyStructure) throws -> PublicKeyStructure {
        switch structure {
        case nil: return fallback
        case .pkcs1: return .pkcs1
        case .spki: return .spki
        case .pkcs8:
            throw ValidationError("pkcs8 is a private key structure; for a public key use spki or pkcs1")
        }
    }
}
