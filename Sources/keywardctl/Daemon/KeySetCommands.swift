import ArgumentParser
import Foundation
import KeywardAPI
import KeywardCommandLine
import KeywardCore
import KeywardCrypto

/// `keywardctl get MODE`: the current key set as a service sees it.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Fetch a mode's current key set (or, with --previous, the one before it in the grace window).")
    @Argument(help: "test or live") var mode: Mode
    @Flag(help: "The previous key set, while the grace window after a commit or rollback lasts.") var previous = false
    @OptionGroup var daemon: DaemonOptions

    func run() async throws {
        if previous {
            let answer = try daemon.call(Endpoints.previousKeySet, mode)
            daemon.show(answer) { set in
                Self.describe(
                    "\(mode) v\(set.version), the previous set, verifiable until \(Output.time(set.graceEndsAt))",
                    merchant: set.merchantPublicKey, platform: set.platformPublicKey)
            }
        } else {
            let answer = try daemon.call(Endpoints.keySet, mode)
            daemon.show(answer) { set in
                Self.describe(
                    "\(mode) v\(set.version) (\(set.origin))" + (set.appID.map { ", App ID \($0)" } ?? "")
                        + (set.clientID.map { ", Client-ID \($0)" } ?? ""), merchant: set.merchantPublicKey,
                    platform: set.platformPublicKey)
                    + "\nprivate key: "
                    + (set.merchantPrivateKey == nil
                        ? "not exported (sign through keywardctl sign / POST …/sign)" : "exported (this mode's policy allows it)")
                    + (set.certificates.map(Self.describe) ?? "")
            }
        }
    }

    /// Certificate mode: the SNs requests carry, and each file's expiry.
    private static func describe(_ certificates: CertificateSetForms) -> String {
        "\ncertificate mode: app_cert_sn \(certificates.appCertSN), alipay_root_cert_sn \(certificates.alipayRootCertSN)"
            + "\n  app certificate valid until \(Output.time(certificates.appCertificate.notAfter))"
            + certificates.alipayCertificates.map { "\n  Alipay certificate \($0.sn) valid until \(Output.time($0.notAfter))" }.joined()
            + "\n  root certificate file valid until \(Output.time(certificates.alipayRootCertificate.notAfter))"
    }

    private static func describe(_ title: String, merchant: PublicKeyForms, platform: PublicKeyForms) -> String {
        [
            title,
            "merchant public key: \(merchant.fingerprint)",
            "  as the dashboard shows it: \(merchant.spkiBare)",
            "platform public key: \(platform.fingerprint)",
        ].joined(separator: "\n")
    }
}

/// `keywardctl watch MODE`: prints each new version as it is committed.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "watch", abstract: "Wait for commits and print each new key set version.")
    @Argument(help: "test or live") var mode: Mode
    @Option(help: "Stop after this many changes (default: run until interrupted).") var count: Int?
    @OptionGroup var daemon: DaemonOptions

    func run() async throws {
        var etag: String?
        var seen = 0
        while count.map({ seen < $0 }) ?? true {
            var headers: [String: String] = [:]
            if let etag { headers["If-None-Match"] = etag }
            let response = try daemon.send(Endpoints.keySet, mode, query: "wait=55", headers: headers, timeout: 70)
            if response.status == 304 { continue }
            let answer = try daemon.decode(Endpoints.keySet, response)
            let isFirst = etag == nil
            etag = answer.response.headers["etag"]
            if isFirst { continue }
            seen += 1
            daemon.show(answer) { "\(mode) v\($0.version) committed at \(Output.time($0.committedAt))" }
        }
    }
}

/// `keywardctl sign MODE`: RSA2 through the daemon, the private key never leaving it.
struct DaemonSignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign", abstract: "Have keywardd sign data (or an Alipay+ request) with the mode's merchant private key.")
    @Argument(help: "test or live") var mode: Mode
    @Option(name: .customLong("in"), help: "The data to sign, or the Alipay+ request body ('-' for standard input).") var input: String?
    @Option(help: "The text to sign, given on the command line (an open-platform string such as app_id=…&method=…).")
    var text: String?
    @Option(help: "Alipay+: the HTTP method.") var method: String?
    @Option(help: "Alipay+: the request path, e.g. /aps/api/v1/payments/pay.") var path: String?
    @Option(help: "Alipay+: the Client-Id header (default: the mode's).") var clientId: String?
    @Option(help: "Alipay+: the Request-Time header.") var requestTime: String?
    @OptionGroup var daemon: DaemonOptions

    func validate() throws {
        if text != nil && input != nil { throw ValidationError("give the data with --in FILE or --text TEXT, not both") }
    }

    func run() async throws {
        let data = try text.map { Array($0.utf8) } ?? SecureFile.read(input ?? "-").withUnsafeBytes { Array($0) }
        let body: SigningRequest
        if let method, let path, let requestTime {
            body = SigningRequest(
                alipayPlus: AlipayPlusMessage(
                    method: method, path: path, clientId: clientId, time: requestTime, body: String(decoding: data, as: UTF8.self)))
        } else {
            body = SigningRequest(data: Data(data).base64EncodedString())
        }
        let answer = try daemon.call(Endpoints.sign, mode, body: body)
        daemon.show(answer) { $0.signatureHeader ?? $0.signature }
    }
}

/// `keywardctl verify MODE`: checks a platform signature with the current (and previous)
/// platform public key.
struct DaemonVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Verify a platform signature through keywardd (exit 0 if valid, 1 if not).")
    @Argument(help: "test or live") var mode: Mode
    @Option(
        name: .customLong("in"),
        help: "The signed data, the Alipay+ response body, or the notification ('-' for standard input).") var input: String = "-"
    @Option(help: "The signature in base64, or an Alipay+ Signature header value.") var signature: String?
    @Option(help: "RSA2 or RSA.") var algorithm: String = "RSA2"
    @Flag(help: "The input is an open-platform asynchronous notification (form-encoded, with sign and sign_type).")
    var notification = false
    @Option(help: "Alipay+: the HTTP method of the request.") var method: String?
    @Option(help: "Alipay+: the request path, e.g. /aps/api/v1/payments/pay.") var path: String?
    @Option(help: "Alipay+: the Client-Id (default: the mode's).") var clientId: String?
    @Option(help: "Alipay+: the Response-Time header.") var responseTime: String?
    @OptionGroup var daemon: DaemonOptions

    func validate() throws {
        let alipayPlus = method != nil || path != nil || responseTime != nil || clientId != nil
        if notification && (alipayPlus || signature != nil) {
            throw ValidationError("--notification reads the signature from the notification itself; give no --signature or Alipay+ options")
        }
        if alipayPlus && (method == nil || path == nil || responseTime == nil) {
            throw ValidationError(
                "an Alipay+ response needs --method, --path and --response-time (and --client-id unless the mode has one)")
        }
        if !notification && signature == nil { throw ValidationError("give --signature (or --notification for an async notification)") }
    }

    func run() async throws {
        let data = try SecureFile.read(input).withUnsafeBytes { Array($0) }
        let body: SigningRequest
        if notification {
            let parsed = try OpenPlatformNotification(formBody: String(decoding: data, as: UTF8.self))
            body = SigningRequest(text: parsed.content, signature: parsed.signature, algorithm: parsed.algorithm)
        } else if let method, let path, let responseTime {
            body = SigningRequest(
                alipayPlus: AlipayPlusMessage(
                    method: method, path: path, clientId: clientId, time: responseTime, body: String(decoding: data, as: UTF8.self),
                    signature: signature),
                algorithm: algorithm)
        } else {
            body = SigningRequest(data: Data(data).base64EncodedString(), signature: signature, algorithm: algorithm)
        }
        let answer = try daemon.call(Endpoints.verify, mode, body: body)
        daemon.show(answer) { verdict in
            guard verdict.valid else { return "NOT VALID for the current or previous platform key" }
            return "valid (\(verdict.matched?.rawValue ?? "?") platform key, v\(verdict.keyVersion ?? "?"))"
        }
        if !answer.value.valid { throw ExitCode(1) }
    }
}

/// `keywardctl audit [--verify]`.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Show the audit log, or verify its hash chain.")
    @Flag(help: "Verify the whole hash chain.") var verify = false
    @Flag(help: "With --verify: also compare the log with the copies keywardd wrote to the journal (where it is readable).")
    var againstJournal = false
    @Option(help: "With --verify: check this state directory offline (no daemon; with --master-key-file or the credential).")
    var stateDirectory: String?
    @Option(help: "The master key file for --state-directory (default: the systemd credential keyward-master-key).")
    var masterKeyFile: String?
    @Option(help: "How many of the last entries to show.") var limit = 50
    @OptionGroup var daemon: DaemonOptions

    func run() async throws {
        if let stateDirectory {
            guard verify else { throw ValidationError("--state-directory goes with --verify") }
            return try verifyOffline(stateDirectory)
        }
        if againstJournal {
            guard verify else { throw ValidationError("--against-journal goes with --verify") }
            return try compareWithJournal()
        }
        if verify {
            let answer = try daemon.call(Endpoints.verifyAudit)
            daemon.show(answer) { check in
                check.valid
                    ? "audit log intact: \(check.entries ?? 0) entries, hash chain verified, the vault's sealed last entry present"
                    : "AUDIT LOG NOT INTACT: \(check.problem ?? "unknown problem")"
            }
            if !answer.value.valid { throw ExitCode(1) }
            return
        }
        let answer = try daemon.call(Endpoints.audit, query: "limit=\(limit)")
        daemon.show(answer) { audit in
            audit.entries.map { entry in
                var line =
                    "#\(entry.sequence) \(Output.time(entry.time)) uid \(entry.actor.uid)\(entry.actor.unit.map { " (\($0))" } ?? "") \(entry.action) \(entry.mode?.rawValue ?? "-") \(entry.outcome)"
                if let version = entry.record.toVersion { line += " → v\(version)" }
                if let detail = entry.record.detail { line += " (\(detail))" }
                return line
            }.joined(separator: "\n")
        }
    }
}

extension AuditCommand {
    /// The check of `GET /v1/audit/verify`, on a state directory, with the master key.
    func verifyOffline(_ directory: String) throws {
        guard
            let key = try MasterKeyLoader.load(
                credentialsDirectory: ProcessInfo.processInfo.environment["CREDENTIALS_DIRECTORY"], keyFile: masterKeyFile)
        else {
            throw ValidationError("give --master-key-file FILE (or run with the keyward-master-key credential)")
        }
        let check = try OfflineAuditCheck.check(stateDirectory: directory, unlock: .masterKey(key))
        let answer = AuditVerification(valid: check.valid, entries: check.entries, problem: check.problem)
        if daemon.json {
            Output.printJSON(answer)
        } else {
            Output.printLine(
                check.valid
                    ? "audit log of \(directory) intact: \(check.entries ?? 0) entries, hash chain verified, the vault's sealed last entry present"
                    : "AUDIT LOG OF \(directory) NOT INTACT: \(check.problem ?? "unknown problem")")
        }
        if !check.valid { throw ExitCode(1) }
    }

    /// The chain check, then each journal copy (`MESSAGE_ID` of KeywardService.auditMessageID,
    /// of this install) against the log's entry of the same sequence.
    func compareWithJournal() throws {
        let check = try daemon.call(Endpoints.verifyAudit).value
        let status = try daemon.call(Endpoints.status).value
        let entries = try daemon.call(Endpoints.audit, query: "limit=10000").value.entries
        let copies = try JournalAuditCopies.read(installID: status.vault.installID)
        let local = Dictionary(entries.map { ($0.sequence, try? AuditLine($0).hash) }, uniquingKeysWith: { $1 })
        var problems: [String] = check.valid ? [] : [check.problem ?? "the chain is broken"]
        let lastLocal = entries.map(\.sequence).max() ?? 0
        for copy in copies.sorted(by: { $0.sequence < $1.sequence }) {
            guard let hash = local[copy.sequence] else {
                if copy.sequence > lastLocal {
                    problems.append("entry #\(copy.sequence) is in the journal but not in the log: removed from its end")
                }
                continue
            }
            if hash != copy.hash {
                problems.append("entry #\(copy.sequence) differs from the copy the journal received: changed after it was written")
            }
        }
        let compared = copies.filter { local[$0.sequence] != nil }.count
        if daemon.json {
            Output.printJSON(JournalComparison(valid: problems.isEmpty, compared: compared, entries: entries.count, problems: problems))
        } else if problems.isEmpty {
            Output.printLine(
                "audit log intact, and \(compared) of its \(entries.count) entries match their journal copies\(compared < entries.count ? " (the others have none: written before the journal kept them, or vacuumed)" : "")"
            )
        } else {
            Output.printLine(
                "AUDIT LOG DOES NOT MATCH ITS JOURNAL COPIES:\n" + problems.prefix(20).map { "  \($0)" }.joined(separator: "\n"))
        }
        if !problems.isEmpty { throw ExitCode(1) }
    }
}

/// The audit copies keywardd wrote to the journal.
enum JournalAuditCopies {
    struct Copy {
        let sequence: Int
        let hash: String
    }

    static func read(installID: String) throws -> [Copy] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/journalctl")
        process.arguments = [
            "--no-pager", "-q", "-o", "json", "MESSAGE_ID=\(KeywardAuditJournal.messageID)", "KEYWARD_INSTALL_ID=\(installID)",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw DaemonError(
                code: .journalUnavailable, message: "cannot run journalctl: \(error.localizedDescription)",
                hint: "run this on the host of keywardd, as a user who may read its journal (root, or in group systemd-journal)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw DaemonError(
                code: .journalUnavailable, message: "journalctl failed (exit status \(process.terminationStatus))",
                hint: "run this as a user who may read keywardd's journal (root, or in group systemd-journal)")
        }
        struct Record: Decodable {
            let KEYWARD_AUDIT_SEQ: String?
            let KEYWARD_AUDIT_HASH: String?
        }
        return data.split(separator: UInt8(ascii: "\n")).compactMap { line in
            guard let record = try? JSONDecoder().decode(Record.self, from: Data(line)),
                let sequence = record.KEYWARD_AUDIT_SEQ.flatMap({ Int($0) }), let hash = record.KEYWARD_AUDIT_HASH
            else { return nil }
            return Copy(sequence: sequence, hash: hash)
        }
    }
}

/// `keywardctl vault rekey`.
struct VaultCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vault", abstract: "Vault maintenance.", subcommands: [RekeyCommand.self])

    struct RekeyCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rekey", abstract: "Seal the vault under a new master key (written to a new file in the state directory).")
        @OptionGroup var daemon: DaemonOptions

        func run() async throws {
            try daemon.control(Endpoints.rekey) { "new master key: \($0.newMasterKeyFile)\nnext: \($0.next)" }
        }
    }
}
