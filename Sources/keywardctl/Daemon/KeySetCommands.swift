import ArgumentParser
import Foundation
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
        let answer = try daemon.call("GET", "/v1/keysets/\(mode)\(previous ? "/previous" : "")")
        daemon.show(answer) {
            let merchant = answer["merchantPublicKey"] as? [String: Any]
            let platform = answer["platformPublicKey"] as? [String: Any]
            var lines = [
                previous
                    ? "\(mode) v\(answer["version"] ?? "?"), the previous set, verifiable until \(answer["graceEndsAt"] ?? "")"
                    : "\(mode) v\(answer["version"] ?? "?") (\(answer["origin"] ?? "")), App ID \(answer["appID"] ?? "-")",
                "merchant public key: \(merchant?["fingerprint"] ?? "")",
                "  as the dashboard shows it: \(merchant?["spkiBare"] ?? "")",
                "platform public key: \(platform?["fingerprint"] ?? "")",
            ]
            if !previous {
                lines.append(
                    "private key: \(answer["merchantPrivateKey"] == nil ? "not exported (sign through keywardctl sign / POST …/sign)" : "exported (this mode's policy allows it)")"
                )
            }
            return lines.joined(separator: "\n")
        }
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
            let response = try daemon.client.send("GET", "/v1/keysets/\(mode)?wait=55", headers: headers, timeout: 70)
            if response.status == 304 { continue }
            let answer = try DaemonOptions.decode(response)
            let isFirst = etag == nil
            etag = response.headers["etag"]
            if isFirst { continue }
            seen += 1
            daemon.show(answer) { "\(mode) v\(answer["version"] ?? "?") committed at \(answer["committedAt"] ?? "")" }
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
    @Option(help: "Alipay+: the Client-Id header.") var clientId: String?
    @Option(help: "Alipay+: the Request-Time header.") var requestTime: String?
    @OptionGroup var daemon: DaemonOptions

    func validate() throws {
        if text != nil && input != nil { throw ValidationError("give the data with --in FILE or --text TEXT, not both") }
    }

    func run() async throws {
        let data = try text.map { Array($0.utf8) } ?? SecureFile.read(input ?? "-").withUnsafeBytes { Array($0) }
        var body: [String: Any]
        if let method, let path, let clientId, let requestTime {
            body = [
                "alipayPlus": [
                    "method": method, "path": path, "clientId": clientId, "time": requestTime,
                    "body": String(decoding: data, as: UTF8.self),
                ]
            ]
        } else {
            body = ["data": Data(data).base64EncodedString()]
        }
        let answer = try daemon.call("POST", "/v1/keysets/\(mode)/sign", body: body)
        daemon.show(answer) { (answer["signatureHeader"] as? String) ?? (answer["signature"] as? String ?? "") }
    }
}

/// `keywardctl verify MODE`: checks a platform signature with the current (and previous)
/// platform public key.
struct DaemonVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Verify a platform signature through keywardd (exit 0 if valid, 1 if not).")
    @Argument(help: "test or live") var mode: Mode
    @Option(name: .customLong("in"), help: "The signed data ('-' for standard input).") var input: String = "-"
    @Option(help: "The signature in base64.") var signature: String
    @Option(help: "RSA2 or RSA.") var algorithm: String = "RSA2"
    @OptionGroup var daemon: DaemonOptions

    func run() async throws {
        let data = try SecureFile.read(input).withUnsafeBytes { Array($0) }
        let answer = try daemon.call(
            "POST", "/v1/keysets/\(mode)/verify",
            body: ["data": Data(data).base64EncodedString(), "signature": signature, "algorithm": algorithm])
        let valid = answer["valid"] as? Bool ?? false
        daemon.show(answer) {
            valid
                ? "valid (\(answer["matched"] ?? "") platform key, v\(answer["keyVersion"] ?? "?"))"
                : "NOT VALID for the current or previous platform key"
        }
        if !valid { throw ExitCode(1) }
    }
}

/// `keywardctl audit [--verify]`.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Show the audit log, or verify its hash chain.")
    @Flag(help: "Verify the whole hash chain.") var verify = false
    @Option(help: "How many of the last entries to show.") var limit = 50
    @OptionGroup var daemon: DaemonOptions

    func run() async throws {
        if verify {
            let answer = try daemon.call("GET", "/v1/audit/verify")
            daemon.show(answer) { "audit log intact: \(answer["entries"] ?? 0) entries, hash chain verified" }
            return
        }
        let answer = try daemon.call("GET", "/v1/audit?limit=\(limit)")
        daemon.show(answer) {
            let entries = answer["entries"] as? [[String: Any]] ?? []
            return entries.map { entry in
                let actor = entry["actor"] as? [String: Any] ?? [:]
                let record = entry["record"] as? [String: Any] ?? [:]
                var line =
                    "#\(entry["sequence"] ?? "") \(entry["time"] ?? "") uid \(actor["uid"] ?? "?") \(entry["action"] ?? "") \(entry["mode"] ?? "-") \(entry["outcome"] ?? "")"
                if let version = record["toVersion"] { line += " → v\(version)" }
                if let detail = record["detail"] { line += " (\(detail))" }
                return line
            }.joined(separator: "\n")
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
            let answer = try daemon.call("POST", "/v1/vault/rekey")
            daemon.show(answer) { "new master key: \(answer["newMasterKeyFile"] ?? "")\nnext: \(answer["next"] ?? "")" }
        }
    }
}
