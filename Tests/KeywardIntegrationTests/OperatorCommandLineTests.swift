import Foundation
import KeywardAPI
import KeywardCore
import KeywardCrypto
import KeywardTestSupport
import Testing

/// What a new operator meets first on the command line: where options go, what an error
/// says, and the order of the first steps.
@Suite("keywardctl for a new operator")
struct OperatorCommandLineTests {
    @Test("--json works before the command as after it, for answers and for errors")
    func jsonBeforeTheCommand() throws {
        let daemon = try DaemonHarness()
        let before = try daemon.keywardctl(["--json", "status"])
        let after = try daemon.keywardctl(["status", "--json"])
        #expect(before.status == 0 && after.status == 0, "\(before.standardError) \(after.standardError)")
        let status = try APIJSON.decoder().decode(StatusAnswer.self, from: Data(before.standardOutput))
        #expect(status.modes[.test] != nil)
        let refused = try daemon.keywardctl(["--json", "commit", "test"])
        #expect(refused.status == 2)
        let error = try APIJSON.decoder().decode(ErrorEnvelope.self, from: Data(refused.standardOutput))
        #expect(error.error.code == RotationErrorCode.nonePending.rawValue)
        // A key-tool command, two levels deep.
        let offline = try daemon.keywardctl(["--json", "key", "generate", "--force", "probe"])
        #expect(offline.status == 0, "\(offline.standardError)")
        #expect(try APIJSON.decoder().decode(GeneratedKeyPair.self, from: Data(offline.standardOutput)).bits == 2048)
    }

    @Test("the audit log names the peer's process: keywardctl's command name and executable (read at accept, same uid)")
    func auditNamesThePeerProcess() throws {
        let daemon = try DaemonHarness()
        let setup = try daemon.keywardctl(["setup", "test", "--pid", "2088101122136241", "--app-id", "2021001100600000"])
        #expect(setup.status == 0, "\(setup.standardError)")
        let entry = try #require(try daemon.call(Endpoints.audit).entries.last)
        #expect(entry.action == "setup")
        #expect(entry.actor.command == "keywardctl", "\(entry.actor)")
        #expect(entry.actor.executable?.hasSuffix("/keywardctl") == true, "\(entry.actor)")
    }

    @Test("a text-mode error names its code, as the docs' error tables do")
    func textErrorsNameTheirCode() throws {
        let daemon = try DaemonHarness()
        let refused = try daemon.keywardctl(["commit", "test"])
        #expect(refused.status == 2)
        #expect(refused.standardError.hasPrefix("keywardctl: rotation.none-pending: "), "\(refused.standardError)")
    }

    @Test("rotate before setup is refused with the next step, and nothing is pending")
    func rotateBeforeSetup() throws {
        let daemon = try DaemonHarness()
        for flow in [["--generate"], ["--own-keys", "--private-key", "own.pem"]] {
            try daemon.directory.write(
                "own.pem", try TestKeys.key(110).exported(as: PrivateKeyFormat(.pkcs1, .pem)).withUnsafeBytes { Array($0) })
            let refused = try daemon.keywardctl(["rotate", "test"] + flow)
            #expect(refused.status == 2)
            #expect(refused.standardError.contains("rotation.no-account"), "\(refused.standardError)")
            #expect(refused.standardError.contains("keywardctl setup test --pid"), "\(refused.standardError)")
        }
        let status = try daemon.call(Endpoints.status)
        #expect(status.modes[.test]?.pending == nil)
    }

    @Test("sign --text signs the given text; --text and --in together are refused")
    func signText() throws {
        let daemon = try DaemonHarness()
        let platform = try TestKeys.key(111)
        try daemon.directory.write("platform.pem", platform.publicKey.pem)
        for arguments in [
            ["setup", "test", "--pid", "2088101122136241", "--app-id", "2021001100600000"], ["rotate", "test", "--generate"],
            ["platform-key", "test", "--platform-key", "platform.pem"], ["commit", "test"], ["activate", "test"],
        ] {
            let result = try daemon.keywardctl(arguments)
            #expect(result.status == 0, "\(arguments): \(result.standardError)")
        }
        let text = "app_id=2021001100600000&method=alipay.trade.query&sign_type=RSA2"
        let signed = try daemon.keywardctl(["sign", "test", "--text", text])
        #expect(signed.status == 0, "\(signed.standardError)")
        let keySet = try daemon.call(Endpoints.keySet, .test)
        let merchant = try RSAPublicKey(parsing: keySet.merchantPublicKey.spkiPem)
        #expect(merchant.isValidSignature(try Base64Text.decodeSignature(signed.output), for: text))
        try daemon.directory.write("message", text)
        let both = try daemon.keywardctl(["sign", "test", "--text", text, "--in", "message"])
        #expect(both.status == 2 && both.standardError.contains("not both"), "\(both.standardError)")
    }

    @Test("get --previous shows the set a rollback returns to, with its public key as the dashboard shows it")
    func previousSet() throws {
        let daemon = try DaemonHarness()
        try daemon.directory.write("platform1.pem", try TestKeys.key(112).publicKey.pem)
        try daemon.directory.write("platform2.pem", try TestKeys.key(113).publicKey.pem)
        let none = try daemon.keywardctl(["get", "test", "--previous"])
        #expect(none.status == 2 && none.standardError.contains("keyset.no-previous"), "\(none.standardError)")
        var firstPublicKey = ""
        for (index, platform) in ["platform1.pem", "platform2.pem"].enumerated() {
            if index == 0 {
                #expect(try daemon.keywardctl(["setup", "test", "--pid", "2088101122136241", "--app-id", "2021001100600000"]).status == 0)
            }
            let begun = try daemon.keywardctl(["rotate", "test", "--generate", "--json"])
            let rotation = try APIJSON.decoder().decode(PendingRotationStatus.self, from: Data(begun.standardOutput))
            if index == 0 { firstPublicKey = rotation.merchantPublicKeyToUpload }
            #expect(try daemon.keywardctl(["platform-key", "test", "--platform-key", platform]).status == 0)
            #expect(try daemon.keywardctl(["commit", "test"]).status == 0)
            if index == 0 { #expect(try daemon.keywardctl(["activate", "test"]).status == 0) }
        }
        let previous = try daemon.keywardctl(["get", "test", "--previous"])
        #expect(previous.status == 0, "\(previous.standardError)")
        #expect(previous.output.contains("test v1, the previous set"))
        #expect(previous.output.contains("as the dashboard shows it: \(firstPublicKey)"))
    }

    @Test("key generate refuses to overwrite without --force, and replaces both files with it")
    func generateForce() throws {
        let directory = try TemporaryDirectory(prefix: "keywardctl-force")
        let ctl = ProcessRunner.product("keywardctl")
        let first = try ProcessRunner.run(ctl, ["key", "generate", "stand-in"], directory: directory.path)
        #expect(first.status == 0)
        let before = try directory.read("stand-in_public_key.pem")
        let again = try ProcessRunner.run(ctl, ["key", "generate", "stand-in"], directory: directory.path)
        #expect(again.status == 2 && again.standardError.contains("already exists"))
        #expect(try directory.read("stand-in_public_key.pem") == before)
        let forced = try ProcessRunner.run(ctl, ["key", "generate", "--force", "stand-in"], directory: directory.path)
        #expect(forced.status == 0, "\(forced.standardError)")
        #expect(try directory.read("stand-in_public_key.pem") != before)
        #expect(!forced.output.contains("Upload this public key"))
    }

    @Test("setup edits: an Alipay+ Client-ID beside the PID, an email change keeps the rest, --clear-email removes only it")
    func setupEdits() throws {
        let daemon = try DaemonHarness()
        func setup(_ arguments: [String]) throws -> ProcessResult {
            let result = try daemon.keywardctl(["setup", "test"] + arguments)
            #expect(result.status == 0, "\(result.standardError)")
            return result
        }
        _ = try setup(["--pid", "2088101122136241", "--app-id", "2021001100600000", "--email", "finance@example.com"])
        let withClient = try setup(["--client-id", "SANDBOX_5X00000000000000", "--gateway-domain", "open-sea-global.alipay.com"])
        #expect(
            withClient.output.contains(
                "PID 2088101122136241, App ID 2021001100600000; Client-ID SANDBOX_5X00000000000000 at open-sea-global.alipay.com"))
        _ = try setup(["--email", "ops@example.com"])
        var account = try #require(try daemon.call(Endpoints.status).modes[.test]?.account)
        #expect(
            account.pid == "2088101122136241" && account.clientID == "SANDBOX_5X00000000000000" && account.accountEmail == "ops@example.com"
        )
        _ = try setup(["--clear-email"])
        account = try #require(try daemon.call(Endpoints.status).modes[.test]?.account)
        #expect(account.accountEmail == nil && account.pid != nil && account.clientID != nil)
        let sandboxLive = try daemon.keywardctl(["setup", "live", "--client-id", "SANDBOX_5X00000000000001"])
        #expect(sandboxLive.status == 2 && sandboxLive.standardError.contains("credentials.sandbox-client-in-live"))
        let shared = try daemon.keywardctl(["setup", "live", "--pid", "2088101122136241", "--app-id", "2021001100600009"])
        #expect(shared.status == 2 && shared.standardError.contains("credentials.identity-shared"))
    }

    @Test("verify --notification checks an open-platform async notification with the platform key (1 when tampered)")
    func notification() throws {
        let daemon = try DaemonHarness()
        try committedTestMode(daemon, merchant: 140, platform: 141)
        let content = "app_id=2021001100600000&out_trade_no=T1&total_amount=88.88&trade_status=TRADE_SUCCESS"
        let signature = Base64Text.encode(try TestKeys.key(141).signature(for: content))
        let encoded = signature.replacingOccurrences(of: "+", with: "%2B").replacingOccurrences(of: "/", with: "%2F")
            .replacingOccurrences(of: "=", with: "%3D")
        let body = "trade_status=TRADE_SUCCESS&total_amount=88.88&sign_type=RSA2&sign=\(encoded)&out_trade_no=T1&app_id=2021001100600000"
        try daemon.directory.write("notify.txt", body)
        let valid = try daemon.keywardctl(["verify", "test", "--notification", "--in", "notify.txt"])
        #expect(valid.status == 0 && valid.output.contains("valid (current platform key"), "\(valid.output) \(valid.standardError)")
        try daemon.directory.write("notify.txt", body.replacingOccurrences(of: "88.88", with: "8.88"))
        #expect(try daemon.keywardctl(["verify", "test", "--notification", "--in", "notify.txt"]).status == 1)
    }

    @Test("audit --verify --state-directory checks a stopped daemon's log offline; a start on a log cut short names that command")
    func offlineAuditCheck() throws {
        let daemon = try DaemonHarness()
        try committedTestMode(daemon, merchant: 150, platform: 151)
        #expect(daemon.stop() == 0)
        let directory = daemon.directory.path
        let arguments = ["audit", "--verify", "--state-directory", directory, "--master-key-file", daemon.directory.file("master.key")]
        let ctl = ProcessRunner.product("keywardctl")
        let intact = try ProcessRunner.run(ctl, arguments)
        #expect(intact.status == 0 && intact.output.contains("intact"), "\(intact.output) \(intact.standardError)")

        let log = try daemon.directory.read("audit.log")
        let lines = String(decoding: log, as: UTF8.self).split(separator: "\n")
        try daemon.directory.write("audit.log", lines.dropLast(3).map { $0 + "\n" }.joined())
        let cut = try ProcessRunner.run(ctl, arguments)
        #expect(cut.status == 1 && cut.output.contains("lacks the vault's sealed last entry"), "\(cut.output) \(cut.standardError)")

        let restart = try ProcessRunner.run(ProcessRunner.product("keywardd"), ["--dev", directory])
        #expect(restart.status != 0)
        #expect(restart.standardError.contains("keywardctl audit --verify --state-directory"), "\(restart.standardError)")
        try daemon.directory.write("audit.log", log)
        #expect(try ProcessRunner.run(ctl, arguments).status == 0)
    }
}
