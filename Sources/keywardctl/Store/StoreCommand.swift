import ArgumentParser
import Foundation
import Glibc
import KeywardAPI

/// `keywardctl store …`: the fleet's PostgreSQL store. Runs the `keyward-store` helper (which
/// links PostgresNIO), so keywardctl itself links no networking stack.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Prepare the PostgreSQL store of a fleet ([store] kind = \"postgres\"): migrate, push.",
        discussion: "Runs keyward-store, which answers --help for itself and for migrate and push."
    )

    @Argument(parsing: .captureForPassthrough, help: "migrate or push, with their options (keywardctl store migrate --help).")
    var arguments: [String] = []

    func run() throws {
        let helper = try StoreHelper.locate()
        let argv = [helper] + arguments
        var cArguments = argv.map { strdup($0) } + [nil]
        execv(helper, &cArguments)
        let reason = String(cString: strerror(errno))
        throw DaemonError(
            code: .storeHelperMissing, message: "cannot run \(helper): \(reason)",
            hint: "reinstall Keyward (scripts/install puts keyward-store in libexec/keyward)")
    }
}

/// Where `keyward-store` is: `$KEYWARD_STORE_HELPER`, beside keywardctl (a build directory),
/// or in `../libexec/keyward/` relative to it (an installation under any prefix).
enum StoreHelper {
    static let environment = "KEYWARD_STORE_HELPER"
    static let name = "keyward-store"

    static func locate() throws -> String {
        if let path = ProcessInfo.processInfo.environment[environment], !path.isEmpty { return path }
        let executable = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "")
        let directory = executable.deletingLastPathComponent()
        let candidates = [
            directory.appendingPathComponent(name).path,
            directory.appendingPathComponent("../libexec/keyward/\(name)").standardizedFileURL.path,
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw DaemonError(
                code: .storeHelperMissing, message: "keyward-store is not installed (looked in \(candidates.joined(separator: ", ")))",
                hint: "reinstall Keyward (scripts/install puts it in libexec/keyward), or set \(environment)")
        }
        return found
    }
}
