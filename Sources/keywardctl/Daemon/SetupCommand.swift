import ArgumentParser
import Foundation
import KeywardAPI
import KeywardCommandLine
import KeywardCore

/// `keywardctl setup MODE`: edits the mode's identity; what is not given is kept.
struct SetupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup",
        abstract: "Set or change a mode's identity (PID and App ID, Alipay+ Client-ID), email and API key.",
        discussion: """
            Fields not given are kept; --clear-email, --clear-api-key and --clear FIELD remove one. \
            Changing the identity of a mode that serves a committed key set is staged for the \
            pending rotation and goes live at its commit, with the new keys.
            """)

    @Argument(help: "test or live") var mode: Mode
    @Option(help: "Partner ID (合作伙伴身份): 16 digits starting with 2088.") var pid: String?
    @Option(help: "App ID: 16 digits, not the PID.") var appId: String?
    @Option(help: "Alipay+ / Antom Client-ID (SANDBOX_… only in test mode).") var clientId: String?
    @Option(help: "Alipay+ gateway host, such as open-sea-global.alipay.com.") var gatewayDomain: String?
    @Option(help: "The key version the Alipay+ Signature header carries.") var keyVersion: String?
    @Option(help: "Account email (账户邮箱).") var email: String?
    @Option(help: "A file holding the 32-character API key.") var apiKeyFile: String?
    @Flag(help: "Remove the stored email.") var clearEmail = false
    @Flag(help: "Remove the stored API key.") var clearApiKey = false
    @Option(help: "Remove a field: open-platform, alipay-plus, gateway-domain, key-version, email, api-key (repeatable).")
    var clear: [String] = []
    @OptionGroup var daemon: DaemonOptions

    func run() async throws {
        let apiKey = try apiKeyFile.map { try readText($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        var cleared = clear
        if clearEmail { cleared.append("email") }
        if clearApiKey { cleared.append("api-key") }
        let answer = try daemon.call(
            Endpoints.setUp, mode,
            body: SetUpRequest(
                pid: pid, appID: appId, clientID: clientId, gatewayDomain: gatewayDomain, platformKeyVersion: keyVersion,
                accountEmail: email, apiKey: apiKey, clear: cleared.isEmpty ? nil : cleared))
        daemon.show(answer) { status in
            if let staged = status.stagedAccount {
                return
                    "\(mode) mode: \(Self.describe(staged)) is staged; it goes live with the pending rotation's commit (keywardctl commit \(mode))."
            }
            return "\(mode) mode: \(status.account.map(Self.describe) ?? "no identity") saved."
        }
    }

    /// The identity in one line, as status shows it.
    static func describe(_ account: ModeStatus.Account) -> String {
        var parts: [String] = []
        if let pid = account.pid, let appID = account.appID { parts.append("PID \(pid), App ID \(appID)") }
        if let clientID = account.clientID {
            parts.append(
                "Client-ID \(clientID)\(account.gatewayDomain.map { " at \($0)" } ?? "")\(account.platformKeyVersion.map { ", key version \($0)" } ?? "")"
            )
        }
        return parts.joined(separator: "; ")
    }
}

/// `keywardctl activate MODE` / `deactivate MODE`, `commit`, `abort`, `rollback`.
struct ModeActionCommand {
    static func run(_ endpoint: Endpoint<NoBody, ModeStatus>, mode: Mode, daemon: DaemonOptions, text: (ModeStatus) -> String) throws {
        try daemon.control(endpoint, mode, text: text)
    }
}

struct ActivateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "activate", abstract: "Start serving a mode (needs a committed key set).")
    @Argument(help: "test or live") var mode: Mode
    @OptionGroup var daemon: DaemonOptions

    func run() async throws {
        try ModeActionCommand.run(Endpoints.activate, mode: mode, daemon: daemon) { _ in
            "\(mode) mode is active: services can fetch its key set."
        }
    }
}

struct DeactivateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deactivate", abstract: "Stop serving a mode; its keys stay in the vault.")
    @Argument(help: "test or live") var mode: Mode
    @OptionGroup var daemon: DaemonOptions

    func run() async throws {
        try ModeActionCommand.run(Endpoints.deactivate, mode: mode, daemon: daemon) { _ in "\(mode) mode is inactive." }
    }
}

struct CommitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commit", abstract: "Make the ready rotation current: the new private key and platform key go live together.")
    @Argument(help: "test or live") var mode: Mode
    @OptionGroup var daemon: DaemonOptions

    func run() async throws {
        try ModeActionCommand.run(Endpoints.commit, mode: mode, daemon: daemon) { answer in
            let serves = "\(mode) mode now serves v\(answer.current.map { String($0.version) } ?? "?")."
            guard let previous = answer.previous else {
                return serves + " It is the mode's first key set: there is nothing to roll back to."
            }
            return serves
                + " v\(previous.version) stays available for rollback (keywardctl rollback \(mode)) until \(Output.time(previous.graceEndsAt))."
        }
    }
}

struct AbortCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "abort", abstract: "Drop the pending rotation.")
    @Argument(help: "test or live") var mode: Mode
    @OptionGroup var daemon: DaemonOptions

    func run() async throws {
        try ModeActionCommand.run(Endpoints.abort, mode: mode, daemon: daemon) { _ in
            "The pending \(mode) rotation was dropped; nothing of it was served."
        }
    }
}

struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback", abstract: "Within the grace window, make the previous key set current again.",
        discussion: "With --to VERSION it happens only if the previous set is that version: a second rollback goes forward again.")
    @Argument(help: "test or live") var mode: Mode
    @Option(name: .customLong("to"), help: "The version you mean to go back to (keywardctl status shows the previous set).")
    var toVersion: Int?
    @OptionGroup var daemon: DaemonOptions

    func run() async throws {
        try daemon.control(Endpoints.rollback, mode, body: toVersion.map { RollbackRequest(toVersion: $0) }) { answer in
            let now = answer.current.map { "v\($0.version)" } ?? "?"
            let swapped = answer.previous.map { " instead of v\($0.version); a second rollback would return to v\($0.version)" } ?? ""
            return "\(mode) mode serves \(now) again\(swapped). Restore its merchant public key on the dashboard too."
        }
    }
}

/// `keywardctl approvals MODE`: what waits for a second operator.
struct ApprovalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approvals", abstract: "List the actions of a mode that wait for a second operator (two-person control).")
    @Argument(help: "test or live") var mode: Mode
    @OptionGroup var daemon: DaemonOptions

    func run() async throws {
        daemon.show(try daemon.call(Endpoints.approvals, mode)) { list in
            guard !list.approvals.isEmpty else { return "nothing waits for approval in \(mode) mode" }
            return list.approvals.map {
                "\($0.id)  \($0.action)  asked by uid \($0.requestedByUID)\($0.requestedBy?.unit.map { " (\($0))" } ?? "") at \(Output.time($0.requestedAt)), until \(Output.time($0.expiresAt))"
            }.joined(separator: "\n")
        }
    }
}

/// `keywardctl approve MODE ID`: the second operator's approval; the action happens at once.
struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve another operator's request (two-person control): the action happens at once.")
    @Argument(help: "test or live") var mode: Mode
    @Argument(help: "The request's id (keywardctl approvals MODE).") var id: String
    @OptionGroup var daemon: DaemonOptions

    func run() async throws {
        daemon.show(try daemon.call(Endpoints.approve, mode, body: ApprovalDecision(id: id))) { status in
            "approved: \(mode) mode \(status.action ?? "changed")\(status.current.map { ", serving v\($0.version)" } ?? "")\(status.active ? "" : " (inactive)")."
                + (status.note.map { "\nnext: \($0)" } ?? "")
        }
    }
}

/// `keywardctl reject MODE ID`.
struct RejectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reject", abstract: "Reject (or withdraw) a request waiting for approval.")
    @Argument(help: "test or live") var mode: Mode
    @Argument(help: "The request's id.") var id: String
    @OptionGroup var daemon: DaemonOptions

    func run() async throws {
        daemon.show(try daemon.call(Endpoints.reject, mode, body: ApprovalDecision(id: id))) { "rejected: \($0.action) (request \($0.id))" }
    }
}
