import ArgumentParser
import KeywardAPI
import KeywardCommandLine

/// `keywardctl status`: both modes, the vault, and what is pending.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show both modes, pending rotations and the vault.")

    @OptionGroup var daemon: DaemonOptions

    func run() async throws {
        daemon.show(try daemon.call(Endpoints.status), text: Self.describe)
    }

    static func describe(_ status: StatusAnswer) -> String {
        var lines = [status.statusLine]
        for mode in Mode.allCases {
            guard let state = status.modes[mode] else { continue }
            var line = "\(mode): \(state.active ? "active" : "inactive")"
            if let account = state.account {
                line += ", PID \(account.pid), App ID \(account.appID)"
            } else {
                line += ", not set up"
            }
            if let current = state.current {
                line += ", v\(current.version) (\(current.origin.rawValue)) merchant key \(current.merchantKeyFingerprint)"
            }
            lines.append(line)
            if let pending = state.pending {
                lines.append("  pending rotation: \(pending.state) (\(pending.origin.rawValue)), expires \(Output.time(pending.expiresAt))")
                lines.append("  next: \(pending.next)")
            }
            if let previous = state.previous, previous.inGraceWindow {
                lines.append("  previous v\(previous.version) can be rolled back to until \(Output.time(previous.graceEndsAt))")
            }
        }
        lines.append("vault: \(status.vault.location) generation \(status.vault.generation)")
        return lines.joined(separator: "\n")
    }
}
