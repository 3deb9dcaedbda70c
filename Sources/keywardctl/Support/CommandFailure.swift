import ArgumentParser
import Foundation
import KeywardAPI
import KeywardCrypto

/// Turns any error into one line on standard error (and, with `--json`, the error object on
/// standard output) and an exit status: 1 for a "no" answer, 2 for everything else.
enum CommandFailure {
    /// Writes what the operator needs to see and returns the exit status to use.
    static func report(_ error: any Error, json: Bool) -> Int32 {
        if let exit = error as? ExitCode {
            return exit.rawValue
        }
        if let reportable = error as? any ReportableError {
            if json {
                Output.printJSON(ErrorEnvelope(reportable))
            }
            // The code as docs/api.md and the error tables name it, so a reader can look it up.
            Output.printError(
                "keywardctl: \(reportable.code): \(reportable.message)" + (reportable.hint.isEmpty ? "" : "; \(reportable.hint)"))
            return 2
        }
        let parserStatus = KeywardCtl.exitCode(for: error)
        if parserStatus == .success {
            return 0  // --help, --version: the parser prints them.
        }
        let message = KeywardCtl.message(for: error)
        if json {
            Output.printJSON(ErrorEnvelope(code: ClientErrorCode.usage.rawValue, message: message, hint: "see keywardctl --help"))
        }
        Output.printError("keywardctl: \(message); see 'keywardctl --help'")
        return 2
    }
}

extension ErrorEnvelope {
    init(_ error: any ReportableError) {
        self.init(code: error.code, message: error.message, hint: error.hint)
    }
}
