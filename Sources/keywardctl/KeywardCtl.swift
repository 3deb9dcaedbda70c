import ArgumentParser
import KeywardAPI
import KeywardCommandLine

/// `keywardctl`: the operator's tool. Drives a running `keywardd` over its socket, and works
/// offline as the Alipay key tool for Linux (`keywardctl key …`).
struct KeywardCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keywardctl",
        abstract: "Operate Keyward, and generate, convert and check Alipay RSA2 keys offline.",
        discussion: """
            Exit status: 0 success or "yes"; 1 a check said "no" (keys do not match, signature \
            not valid); 2 an error (bad input, missing file, usage).
            """,
        version: KeywardVersion.current,
        subcommands: [
            StatusCommand.self, SetupCommand.self, ActivateCommand.self, DeactivateCommand.self,
            RotateCommand.self, RotationCSRCommand.self, PlatformKeyCommand.self, AlipayCertificateCommand.self, CommitCommand.self,
            AbortCommand.self, RollbackCommand.self,
            GetCommand.self, DaemonSignCommand.self, DaemonVerifyCommand.self, WatchCommand.self,
            ApprovalsCommand.self, ApproveCommand.self, RejectCommand.self, AuditCommand.self, VaultCommand.self, BackupCommand.self,
            RecoveryKeyCommand.self, InitCommand.self,
            StoreCommand.self, KeyCommand.self,
        ]
    )
}

@main
enum KeywardCtlMain {
    static func main() async {
        await CommandLineMain.run(KeywardCtl.self, arguments: Array(CommandLine.arguments.dropFirst()))
    }
}
