import ArgumentParser
import Foundation
import KeywardAPI
import KeywardCommandLine
import KeywardConfiguration
import KeywardCrypto

/// Options of every command that talks to keywardd.
struct DaemonOptions: ParsableArguments {
    @Option(help: "keywardd's socket (default: $KEYWARD_SOCKET, else /run/keyward/keyward.sock).")
    var socket: String?

    /// `--json`, defined once (OutputOptions) for every command: here, the daemon's answer as it came.
    @OptionGroup var output: OutputOptions

    var json: Bool { output.json }

    var socketPath: String {
        socket ?? ProcessInfo.processInfo.environment[KeywardPaths.socketEnvironment] ?? KeywardPaths.socket
    }

    var client: DaemonClient { DaemonClient(socketPath: socketPath) }

    /// Calls `endpoint` and decodes its answer; a non-2xx answer becomes a `DaemonError`
    /// with the daemon's code.
    func call<Request, Answer>(
        _ endpoint: Endpoint<Request, Answer>, _ mode: Mode? = nil, body: Request? = nil, query: String = "",
        headers: [String: String] = [:], timeout: Int = 30
    ) throws -> DaemonAnswer<Answer> {
        try decode(endpoint, send(endpoint, mode, body: body, query: query, headers: headers, timeout: timeout))
    }

    /// Sends one request to `endpoint` and returns the response as it came.
    func send<Request, Answer>(
        _ endpoint: Endpoint<Request, Answer>, _ mode: Mode? = nil, body: Request? = nil, query: String = "",
        headers: [String: String] = [:], timeout: Int = 30
    ) throws -> DaemonClient.Response {
        let data = try body.map { Array(try APIJSON.encoder().encode($0)) }
        let path = endpoint.route.path(mode) + (query.isEmpty ? "" : "?" + query)
        return try client.send(endpoint.route.method.rawValue, path, body: data, headers: headers, timeout: timeout)
    }

    /// `endpoint`'s answer in `response`; a non-2xx answer becomes a `DaemonError` with the
    /// daemon's code.
    func decode<Request, Answer>(_ endpoint: Endpoint<Request, Answer>, _ response: DaemonClient.Response) throws -> DaemonAnswer<Answer> {
        try decode(Answer.self, from: response, of: endpoint.route)
    }

    /// The answer of `route` in `response`, as `Value` (for a route with more than one kind of
    /// success, such as a 202 under two-person control).
    func decode<Value: Decodable>(_ type: Value.Type, from response: DaemonClient.Response, of route: Route) throws -> DaemonAnswer<Value> {
        try Self.checkStatus(response)
        do {
            return DaemonAnswer(value: try APIJSON.decoder().decode(type, from: Data(response.body)), response: response)
        } catch {
            throw DaemonError(
                code: .badResponse,
                message: "keywardd's answer to \(route) does not have the shape this keywardctl knows (\(Self.describe(error)))",
                hint: "keywardctl and keywardd should be the same release (keywardctl --version, keywardd --version)")
        }
    }

    /// Throws the daemon's error for a non-2xx response.
    static func checkStatus(_ response: DaemonClient.Response) throws {
        guard !(200..<300).contains(response.status) else { return }
        guard let envelope = try? APIJSON.decoder().decode(ErrorEnvelope.self, from: Data(response.body)) else {
            throw DaemonError(
                code: .badResponse, message: "keywardd answered HTTP \(response.status) without its error document",
                hint: "see the daemon's log (journalctl -u keywardd)")
        }
        throw DaemonError(answered: envelope, status: response.status)
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "no field '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.dataCorrupted(let context):
            "field '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        default: "not JSON"
        }
    }

    /// A control action that two-person control may turn into a request (202): prints the
    /// request and what the second operator runs, or the mode as the action left it.
    func control<Request, Answer>(
        _ endpoint: Endpoint<Request, Answer>, _ mode: Mode? = nil, body: Request? = nil, text: (Answer) -> String
    ) throws {
        let response = try send(endpoint, mode, body: body)
        guard response.status == 202 else { return show(try decode(endpoint, response), text: text) }
        let request = try decode(ApprovalStatus.self, from: response, of: endpoint.route)
        show(request) { approval in
            "\(approval.mode) mode needs a second operator: \(approval.action) is request \(approval.id), waiting until \(Output.time(approval.expiresAt)).\nnext: \(approval.next)"
        }
    }

    /// Prints the daemon's JSON answer as it came (with --json) or the given text.
    func show<Answer>(_ answer: DaemonAnswer<Answer>, text: (Answer) -> String) {
        if json {
            Output.printLine(String(decoding: answer.response.body, as: UTF8.self))
        } else {
            Output.printLine(text(answer.value))
        }
    }
}

/// A decoded answer with the response it came in (its JSON for --json, its headers).
struct DaemonAnswer<Value> {
    let value: Value
    let response: DaemonClient.Response
}

/// Reads a small text file (a key) for sending to the daemon.
func readText(_ path: String) throws -> String {
    try KeyFiles.text(at: path)
}
