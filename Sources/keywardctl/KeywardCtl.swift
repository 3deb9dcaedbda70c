import ArgumentParser

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
            RotateCommand.self, PlatformKeyCommand.self, CommitCommand.self, AbortCommand.self, RollbackCommand.self,
            GetCommand.self, DaemonSignCommand.self, DaemonVerifyCommand.self, WatchCommand.self,
            AuditCommand.self, VaultCommand.self, InitCommand.self, StoreCommand.self, KeyCommand.self,
        ]
    )
}

/// Entry point: parses, runs, and maps every outcome to exit status 0, 1 or 2.
@main
enum KeywardCtlMain {
    static func main() async {
        let arguments = GlobalOptions.movedAfterCommand(Array(CommandLine.arguments.dropFirst()))
        let wantsJSON = arguments.contains("--json")
        do {
            var command = try KeywardCtl.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let status = CommandFailure.report(error, json: wantsJSON)
            KeywardCtl.exit(withError: status == 0 ? error : ExitCode(status))
        }
    }
}
