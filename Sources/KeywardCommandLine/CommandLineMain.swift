public import ArgumentParser

/// The entry point of Keyward's command-line programs: parses (with the global flags moved
/// after the command), runs, and maps every outcome to exit status 0, 1 or 2.
public enum CommandLineMain {
    public static func run<Root: ParsableCommand>(_ root: Root.Type, arguments: [String]) async -> Never {
        let arguments = GlobalOptions.movedAfterCommand(arguments)
        let wantsJSON = arguments.contains("--json")
        do {
            var command = try Root.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Root.exit()
        } catch {
            let status = CommandFailure.report(error, json: wantsJSON, root: Root.self)
            Root.exit(withError: status == 0 ? error : ExitCode(status))
        }
    }
}
