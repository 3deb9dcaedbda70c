import Foundation
import KeywardTestSupport
import Testing

/// keywardd's own command line: help, version, and a usage error that says what was wrong.
@Suite("keywardd's command line")
struct KeywarddCommandLineTests {
    private func keywardd(_ arguments: [String]) throws -> ProcessResult {
        try ProcessRunner.run(ProcessRunner.product("keywardd"), arguments)
    }

    @Test("--help lists every option and exits 0; --version prints the version")
    func helpAndVersion() throws {
        let help = try keywardd(["--help"])
        #expect(help.status == 0)
        for option in ["--config", "--dev", "--check-config", "--version"] { #expect(help.output.contains(option), "\(option)") }
        let version = try keywardd(["--version"])
        #expect(version.status == 0 && version.output.hasPrefix("keywardd "))
    }

    @Test(
        "usage errors exit 2 with one line saying what was wrong, and the usage",
        arguments: [
            (["--bogus"], "Unknown option '--bogus'"), (["--dev", "a", "--config", "b"], "give one of --config, --dev and --check-config"),
            (["somewhere"], "a directory is taken only with --dev"), (["--config"], "Missing value for '--config <path>'"),
        ])
    func usageErrors(arguments: [String], expected: String) throws {
        let result = try keywardd(arguments)
        #expect(result.status == 2)
        #expect(result.standardError.hasPrefix("keywardd: "), "\(result.standardError)")
        #expect(result.standardError.contains(expected), "\(result.standardError)")
        #expect(result.standardError.contains("USAGE") || result.standardError.contains("keywardd [--config"))
    }

    @Test("--check-config: 0 for a valid file, 78 with the line for an invalid one")
    func checkConfig() throws {
        let directory = try TemporaryDirectory(prefix: "keywardd-check")
        try directory.write("good.toml", "[daemon]\nlog_level = \"info\"\n")
        try directory.write("bad.toml", "[daemon]\nlog_level = \"loud\"\n")
        #expect(try keywardd(["--check-config", directory.file("good.toml")]).status == 0)
        let bad = try keywardd(["--check-config", directory.file("bad.toml")])
        #expect(bad.status == 78)
        #expect(bad.standardError.contains("line 2"), "\(bad.standardError)")
    }
}
