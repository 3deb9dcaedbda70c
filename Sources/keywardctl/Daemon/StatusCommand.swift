import ArgumentParser

/// `keywardctl status`: both modes, the vault, and what is pending.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show both modes, pending rotations and the vault.")

    @OptionGroup var daemon: DaemonOptions

    func run() async throws {
        let answer = try daemon.call("GET", "/v1/status")
        daemon.show(answer) {
            var lines = [answer["statusLine"] as? String ?? ""]
            let modes = answer["modes"] as? [String: Any] ?? [:]
            for name in ["test", "live"] {
                guard let mode = modes[name] as? [String: Any] else { continue }
                let current = mode["current"] as? [String: Any]
                let account = mode["account"] as? [String: Any]
                var line = "\(name): \((mode["active"] as? Bool) == true ? "active" : "inactive")"
                if let account {
                    line += ", PID \(account["pid"] ?? "-"), App ID \(account["appID"] ?? "-")"
                } else {
                    line += ", not set up"
                }
                if let current {
                    line +=
                        ", v\(current["version"] ?? "?") (\(current["origin"] ?? "")) merchant key \(current["merchantKeyFingerprint"] ?? "")"
                }
                lines.append(line)
                if let pending = mode["pending"] as? [String: Any] {
                    lines.append(
                        "  pending rotation: \(pending["state"] ?? "") (\(pending["origin"] ?? "")), expires \(pending["expiresAt"] ?? "")")
                    lines.append("  next: \(pending["next"] ?? "")")
                }
                if let previous = mode["previous"] as? [String: Any], (previous["inGraceWindow"] as? Bool) == true {
                    lines.append("  previous v\(previous["version"] ?? "?") can be rolled back to until \(previous["graceEndsAt"] ?? "")")
                }
            }
            let vault = answer["vault"] as? [String: Any] ?? [:]
            lines.append("vault: \(vault["location"] ?? "") generation \(vault["generation"] ?? "")")
            return lines.joined(separator: "\n")
        }
    }
}
