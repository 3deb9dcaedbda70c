import ArgumentParser

/// `keywardctl key`: the offline key tool, for Linux what Alipay ships only for Windows and
/// macOS. Works without a daemon.
struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Offline key tool: generate, convert, match, fingerprint, sign and verify RSA2 keys; CSRs and certificate SNs.",
        subcommands: [
            GenerateKeyCommand.self, ConvertKeyCommand.self, MatchKeyCommand.self,
            FingerprintKeyCommand.self, SignCommand.self, VerifyCommand.self,
            CertificateRequestCommand.self, CertificateInfoCommand.self, CertificateSNCommand.self,
        ]
    )
}
