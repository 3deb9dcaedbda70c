import ArgumentParser
import Foundation
import Glibc
import KeywardAPI
import KeywardCommandLine

/// `keywardctl status`: both modes, the vault, and what is pending.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show both modes, pending rotations and the vault.")

    @OptionGroup var daemon: DaemonOptions

    func run() async throws {
        let colours = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        daemon.show(try daemon.call(Endpoints.status)) { Self.describe($0, colours: colours) }
    }

    static func describe(_ status: StatusAnswer, colours: Bool = false) -> String {
        var lines = [status.statusLine]
        for mode in Mode.allCases {
            guard let state = status.modes[mode] else { continue }
            var line = "\(mode): \(state.active ? "active" : "inactive")"
            if let account = state.account {
                line += ", " + SetupCommand.describe(account)
            } else {
                line += ", not set up"
            }
            if let current = state.current {
                line += ", v\(current.version) (\(current.origin.rawValue)) merchant key \(current.merchantKeyFingerprint)"
            }
            lines.append(line)
            if let current = state.current, current.signingMethod == .certificate {
                lines.append("  certificate mode:")
                for certificate in current.certificates ?? [] {
                    lines.append(
                        "    \(certificate.certificate) SN \(certificate.sn) valid until \(Output.time(certificate.notAfter)) (\(certificate.subject))"
                    )
                }
            }
            if let staged = state.stagedAccount {
                lines.append("  staged identity: \(SetupCommand.describe(staged)) (goes live with the pending rotation's commit)")
            }
            if let pending = state.pending {
                lines.append("  pending rotation: \(pending.state) (\(pending.origin.rawValue)), expires \(Output.time(pending.expiresAt))")
                lines.append("  next: \(pending.next)")
            }
            if let previous = state.previous, previous.inGraceWindow {
                lines.append("  previous v\(previous.version) can be rolled back to until \(Output.time(previous.graceEndsAt))")
            }
            for item in state.lifecycle.items {
                lines.append("  \(Self.badge(item.state, colours: colours)) \(item.message)")
                if item.state != .ok { lines.append("    next: \(item.next)") }
            }
        }
        lines.append("vault: \(status.vault.location) generation \(status.vault.generation)")
        return lines.joined(separator: "\n")
    }

    /// `[ok]`, `[due-soon]`, …: green, yellow or red on a terminal (not with NO_COLOR).
    static func badge(_ state: LifecycleState, colours: Bool) -> String {
        let text = "[\(state)]"
        guard colours else { return text }
        let colour =
            switch state {
            case .ok: "32"
            case .dueSoon: "33"
            case .overdue, .expired: "31"
            }
        return "\u{1B}[\(colour)m\(text)\u{1B}[0m"
    }
}
