public import ArgumentParser
import Foundation
public import KeywardAPI
public import KeywardCrypto

/// Turns any error into one line on standard error (and, with `--json`, the error object on
/// standard output) and an exit status: 1 for a "no" answer, 2 for everything else.
public enum CommandFailure {
    /// Writes what the operator needs to see and returns the exit status to use. `Root` is
    /// the program's root command, whose parser renders usage errors.
    public static func report<Root: ParsableCommand>(_ error: any Error, json: Bool, root: Root.Type) -> Int32 {
        let program = Root.configuration.commandName ?? "keyward"
        if let exit = error as? ExitCode {
            return exit.rawValue
        }
        if let reportable = error as? any ReportableError {
            if json {
                Output.printJSON(ErrorEnvelope(reportable))
            }
            // The code as docs/api.md and the error tables name it, so a reader can look it up.
            Output.printError(
                "\(program): \(reportable.code): \(reportable.message)" + (reportable.hint.isEmpty ? "" : "; \(reportable.hint)"))
            return 2
        }
        let parserStatus = Root.exitCode(for: error)
        if parserStatus == .success {
            return 0  // --help, --version: the parser prints them.
        }
        let message = Root.message(for: error)
        if json {
            Output.printJSON(ErrorEnvelope(code: ClientErrorCode.usage.rawValue, message: message, hint: "see \(program) --help"))
        }
        Output.printError("\(program): \(message); see '\(program) --help'")
        return 2
    }
}

extension ErrorEnvelope {
    public init(_ error: any ReportableError) {
        self.init(code: error.code, message: error.message, hint: error.hint)
    }
}
