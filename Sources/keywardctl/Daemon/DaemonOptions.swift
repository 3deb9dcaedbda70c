import ArgumentParser
import Foundation
import KeywardAPI
import KeywardConfiguration
import KeywardCrypto

/// Options of every command that talks to keywardd.
struct DaemonOptions: ParsableArguments {
    @Option(help: "keywardd's socket (default: $KEYWARD_SOCKET, else /run/keyward/keyward.sock).")
    var socket: String?

    @Flag(name: .long, help: "Print the daemon's JSON answer instead of text.")
    var json = false

    var socketPath: String {
        socket ?? ProcessInfo.processInfo.environment[KeywardPaths.socketEnvironment] ?? KeywardPaths.socket
    }

    var client: DaemonClient { DaemonClient(socketPath: socketPath) }

    /// Sends a request and returns the decoded JSON answer; a non-2xx answer becomes a
    /// `DaemonError` with the daemon's code.
    @discardableResult
    func call(_ method: String, _ path: String, body: [String: Any]? = nil, timeout: Int = 30) throws -> [String: Any] {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) }.map { Array($0) }
        let response = try client.send(method, path, body: data, timeout: timeout)
        return try Self.decode(response)
    }

    static func decode(_ response: DaemonClient.Response) throws -> [String: Any] {
        guard (200..<300).contains(response.status) else {
            guard let envelope = try? JSONDecoder().decode(ErrorEnvelope.self, from: Data(response.body)) else {
                throw DaemonError(
                    code: "client.bad-response", message: "keywardd answered HTTP \(response.status) without its error document",
                    hint: "see the daemon's log (journalctl -u keywardd)")
            }
            throw DaemonError(code: envelope.error.code, message: envelope.error.message, hint: envelope.error.hint)
        }
        return (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
    }

    /// Prints the raw JSON (with --json) or the given text.
    func show(_ object: [String: Any], text: () -> String) {
        if json {
            if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) {
                Output.printLine(String(decoding: data, as: UTF8.self))
            }
        } else {
            Output.printLine(text())
        }
    }
}

/// Reads a small text file (a key) for sending to the daemon.
func readText(_ path: String) throws -> String {
    try KeyFiles.text(at: path)
}
