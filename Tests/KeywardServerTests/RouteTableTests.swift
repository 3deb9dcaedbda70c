import Foundation
import KeywardConfiguration
import KeywardCore
import KeywardCrypto
import KeywardServer
import KeywardServerTestSupport
import KeywardTestSupport
import NIOCore
import Testing

/// Every route, in process, on the manual clock: (method, route, who asks, mode state) →
/// (status, code). Test mode serves v1; uid 4101 reads test, 4102 signs test, 4103 operates
/// test; nobody but the daemon (uid 7) has a role in live, which serves nothing.
@Suite("every route: who may do what, and what each answers")
struct RouteTableTests {
    enum Asker: String, CustomStringConvertible {
        case stranger, reader, signer, testOperator, daemon

        var peer: Peer {
            switch self {
            case .stranger: RouterFixture.peer(4100)
            case .reader: RouterFixture.peer(4101)
            case .signer: RouterFixture.peer(4102)
            case .testOperator: RouterFixture.peer(4103)
            case .daemon: RouterFixture.peer(RouterFixture.daemonUID)
            }
        }

        var description: String { rawValue }
    }

    struct Row: CustomTestStringConvertible, Sendable {
        let method: String
        let uri: String
        let asker: Asker
        let body: String
        let status: Int
        /// The error code, for an error answer.
        let code: String?

        init(_ method: String, _ uri: String, _ asker: Asker, body: String = "", _ status: Int, _ code: String? = nil) {
            (self.method, self.uri, self.asker, self.body, self.status, self.code) = (method, uri, asker, body, status, code)
        }

        var testDescription: String { "\(asker) \(method) \(uri) → \(status)\(code.map { " \($0)" } ?? "")" }
    }

    static let signedText = "a=1&b=2"
    static let anotherPublicKey = (try? TestKeys.key(3).publicKey.bareBase64) ?? ""
    /// The test set's platform key is TestKeys.key(2) (VaultFixture.openServingTestMode).
    static let platformSignature = (try? Base64Text.encode(TestKeys.key(2).signature(for: signedText))) ?? ""

    static let rows: [Row] = [
        // Unknown routes, methods and modes.
        Row("GET", "/v1/nope", .reader, 404, "route.not-found"),
        Row("DELETE", "/v1/health", .reader, 405, "route.method-not-allowed"),
        Row("PUT", "/v1/keysets/test", .reader, 405, "route.method-not-allowed"),
        Row("GET", "/v1/keysets/prod", .reader, 404, "mode.unknown"),
        Row("POST", "/v1/modes/prod/activate", .daemon, 404, "mode.unknown"),
        // Health, status, metrics.
        Row("GET", "/v1/health", .reader, 200),
        Row("GET", "/v1/status", .reader, 200),
        Row("GET", "/v1/status", .stranger, 403, "auth.forbidden"),
        Row("GET", "/metrics", .reader, 200),
        Row("GET", "/metrics", .stranger, 403, "auth.forbidden"),
        // Key sets.
        Row("GET", "/v1/keysets/test", .reader, 200),
        Row("GET", "/v1/keysets/test", .stranger, 403, "auth.forbidden"),
        Row("GET", "/v1/keysets/live", .reader, 403, "auth.forbidden"),
        Row("GET", "/v1/keysets/live", .daemon, 404, "mode.not-served"),
        Row("GET", "/v1/keysets/test/previous", .reader, 404, "keyset.no-previous"),
        Row("GET", "/v1/keysets/test?wait=soon", .reader, 200),
        // Signing and verifying.
        Row("POST", "/v1/keysets/test/sign", .reader, body: #"{"text":"a=1"}"#, 403, "auth.forbidden"),
        Row("POST", "/v1/keysets/test/sign", .signer, body: #"{"text":"a=1"}"#, 200),
        Row("POST", "/v1/keysets/test/sign", .signer, body: #"{"text":"a=1","data":"YQ=="}"#, 400, "request.ambiguous-message"),
        Row("POST", "/v1/keysets/test/sign", .signer, body: "{", 400, "request.bad-json"),
        Row("POST", "/v1/keysets/live/sign", .daemon, body: #"{"text":"a=1"}"#, 404, "mode.not-served"),
        Row("POST", "/v1/keysets/test/verify", .reader, body: #"{"text":"\#(signedText)","signature":"\#(platformSignature)"}"#, 200),
        Row("POST", "/v1/keysets/test/verify", .stranger, body: #"{"text":"a","signature":"AAAA"}"#, 403, "auth.forbidden"),
        Row("POST", "/v1/keysets/test/verify", .reader, body: #"{"text":"a"}"#, 400, "request.missing-field"),
        // Control routes: operators only.
        Row(
            "PUT", "/v1/modes/test/account", .signer, body: #"{"pid":"2088101122136241","appID":"2021001100600000"}"#, 403, "auth.forbidden"
        ),
        Row("PUT", "/v1/modes/test/account", .testOperator, body: #"{"accountEmail":"ops@example.com"}"#, 200),
        // A new identity for a mode that serves a committed set needs a pending rotation.
        Row(
            "PUT", "/v1/modes/test/account", .testOperator, body: #"{"pid":"2088101122136241","appID":"2021001100600000"}"#, 409,
            "credentials.identity-change-needs-rotation"),
        Row("PUT", "/v1/modes/test/account", .testOperator, body: #"{"clear":["everything"]}"#, 400, "request.bad-field"),
        Row(
            "PUT", "/v1/modes/test/account", .testOperator, body: #"{"clientID":"SANDBOX_X","clear":["open-platform"]}"#, 409,
            "credentials.identity-change-needs-rotation"),
        Row(
            "PUT", "/v1/modes/live/account", .testOperator, body: #"{"pid":"2088101122136241","appID":"2021001100600000"}"#, 403,
            "auth.forbidden"),
        Row("PUT", "/v1/modes/test/account", .testOperator, body: #"{"pid":"12","appID":"2021001100600000"}"#, 422),
        Row("POST", "/v1/modes/test/activate", .testOperator, 409, "rotation.already-active"),
        Row("POST", "/v1/modes/test/deactivate", .signer, 403, "auth.forbidden"),
        Row("POST", "/v1/modes/test/deactivate", .testOperator, 200),
        Row("POST", "/v1/modes/live/activate", .daemon, 409, "rotation.no-key-set"),
        Row("GET", "/v1/modes/test/rotation", .testOperator, 404, "rotation.none-pending"),
        Row("DELETE", "/v1/modes/test/rotation", .testOperator, 405, "route.method-not-allowed"),
        Row("POST", "/v1/modes/test/rotation", .testOperator, body: #"{"kind":"sideways"}"#, 400),
        // 0.1.0's one-click (Keyward generating the pair) is now generate: a client still
        // sending it gets a 400 that says so, never a rotation of the other kind.
        Row("POST", "/v1/modes/test/rotation", .testOperator, body: #"{"kind":"one-click"}"#, 400, "request.missing-field"),
        Row("POST", "/v1/modes/live/rotation", .daemon, body: #"{"kind":"generate"}"#, 409, "rotation.no-account"),
        Row(
            "POST", "/v1/modes/test/rotation/platform-key", .testOperator, body: #"{"platformKey":"\#(anotherPublicKey)"}"#, 404,
            "rotation.none-pending"),
        Row("POST", "/v1/modes/test/rotation/platform-key", .testOperator, body: #"{"platformKey":"x"}"#, 422, "key.bad-base64"),
        Row("POST", "/v1/modes/test/rotation/commit", .testOperator, 404, "rotation.none-pending"),
        Row("POST", "/v1/modes/test/rotation/abort", .testOperator, 404, "rotation.none-pending"),
        Row("POST", "/v1/modes/test/rollback", .testOperator, 409, "rotation.nothing-to-roll-back"),
        Row("POST", "/v1/modes/test/rollback", .reader, 403, "auth.forbidden"),
        // The audit log and the vault.
        Row("GET", "/v1/audit", .reader, 403, "auth.forbidden"),
        Row("GET", "/v1/audit", .testOperator, 200),
        Row("GET", "/v1/audit/verify", .testOperator, 200),
        Row("POST", "/v1/vault/rekey", .testOperator, 403, "auth.forbidden"),
        Row("POST", "/v1/vault/rekey", .daemon, 200),
    ]

    @Test("each route answers as the table says", arguments: rows)
    func route(_ row: Row) async throws {
        let fixture = try await RouterFixture.make(
            test: .init(
                readers: [.user(4101)], signers: [.user(4102)], operators: [.user(4103)], exportPrivateKey: false),
            live: .init(exportPrivateKey: false))
        let response = await fixture.respond(row.method, row.uri, body: Array(row.body.utf8), as: row.asker.peer)
        let text = String(buffer: response.body)
        #expect(response.status == row.status, "\(text)")
        if let code = row.code {
            #expect(text.contains("\"code\":\"\(code)\""), "\(text)")
        } else if row.status >= 400 {
            #expect(text.contains("\"error\""), "\(text)")
        } else {
            #expect(!text.contains("\"error\""), "\(text)")
        }
    }
}
