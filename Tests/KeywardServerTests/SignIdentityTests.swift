import Foundation
import KeywardAPI
import KeywardConfiguration
import KeywardCore
import KeywardCrypto
import KeywardServer
import KeywardServerTestSupport
import KeywardTestSupport
import NIOCore
import Testing

/// Alipay+ messages are signed as the mode's identity: its Client-ID filled in, another
/// refused, the header's keyVersion the configured one or none.
@Suite("signing as the mode's identity")
struct SignIdentityTests {
    static let operatorPeer = RouterFixture.peer(RouterFixture.daemonUID)

    static func sign(_ fixture: RouterFixture, _ message: String) async -> HTTPResponse {
        await fixture.respond("POST", "/v1/keysets/test/sign", body: Array(#"{"alipayPlus":\#(message)}"#.utf8), as: Self.operatorPeer)
    }

    @Test("without a Client-ID the mode's is used; a configured key version goes into the header; another Client-ID is refused")
    func clientIDs() async throws {
        let fixture = try await RouterFixture.make(test: .init(exportPrivateKey: false), live: .init(exportPrivateKey: false))
        let message = #"{"method":"POST","path":"/aps/api/v1/payments/pay","time":"2026-11-25T10:00:00+08:00","body":"{}""#
        // Test mode has only an open-platform identity: a message must name its Client-ID.
        let unnamed = await Self.sign(fixture, message + "}")
        #expect(unnamed.status == 400 && String(buffer: unnamed.body).contains("request.missing-field"))
        let named = await Self.sign(fixture, message + #","clientId":"SANDBOX_ANY"}"#)
        #expect(named.status == 200)
        #expect(
            try APIJSON.decoder().decode(SignAnswer.self, from: Data(Array(buffer: named.body))).signatureHeader?.contains("keyVersion")
                == false)

        // The Alipay+ identity arrives with new keys (an identity change of a serving mode).
        _ = try await fixture.service.apply(
            .beginOneClick(privateKey: try TestKeys.key(90), platformKey: try TestKeys.key(91).publicKey), to: .test, by: Self.operatorPeer)
        _ = try await fixture.service.apply(
            .editAccount(AccountEdit(clientID: try ClientID("SANDBOX_MINE"), platformKeyVersion: try PlatformKeyVersion("5"))), to: .test,
            by: Self.operatorPeer)
        _ = try await fixture.service.apply(.commit, to: .test, by: Self.operatorPeer)

        let signed = await Self.sign(fixture, message + "}")
        #expect(signed.status == 200)
        let answer = try APIJSON.decoder().decode(SignAnswer.self, from: Data(Array(buffer: signed.body)))
        #expect(answer.clientId == "SANDBOX_MINE")
        #expect(answer.signatureHeader?.hasPrefix("algorithm=RSA256,keyVersion=5,signature=") == true)
        #expect(answer.keyVersion == "2", "keyVersion of the answer stays Keyward's version of the set")
        let content = AlipayPlusSignature.content(
            method: "POST", path: "/aps/api/v1/payments/pay", clientID: "SANDBOX_MINE", time: "2026-11-25T10:00:00+08:00", body: "{}")
        #expect(try TestKeys.key(90).publicKey.isValidSignature(try Base64Text.decodeSignature(answer.signature), for: content))

        let other = await Self.sign(fixture, message + #","clientId":"SANDBOX_OTHER"}"#)
        #expect(other.status == 422 && String(buffer: other.body).contains("identity.client-id-mismatch"))
        let document = try APIJSON.decoder().decode(
            KeySetDocument.self, from: Data(Array(buffer: await fixture.respond("GET", "/v1/keysets/test", as: Self.operatorPeer).body)))
        #expect(document.clientID == "SANDBOX_MINE" && document.platformKeyVersion == "5")
    }
}
