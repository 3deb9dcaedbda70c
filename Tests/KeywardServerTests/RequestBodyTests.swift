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

/// A request body that carries a private key is zeroed once the request is answered.
@Suite("request bodies with secrets")
struct RequestBodyTests {
    @Test("an own-keys rotation's body, with a marker key, is zeroed after the answer (and so is a refused one)")
    func bodyIsWipedAfterTheAnswer() async throws {
        let fixture = try await RouterFixture.make(test: .init(exportPrivateKey: false), live: .init(exportPrivateKey: false))
        let operatorPeer = RouterFixture.peer(RouterFixture.daemonUID)
        _ = try await fixture.service.apply(.setUp(try TestKeys.account(.live)), to: .live, by: operatorPeer)
        let marker = try TestKeys.key(130).exported(as: PrivateKeyFormat(.pkcs1, .pem)).withUnsafeBytes {
            String(decoding: $0, as: UTF8.self)
        }
        let json = Array(try APIJSON.encoder().encode(RotationRequest.ownKeys(privateKey: marker)))
        let markerBytes = Array(marker.utf8.prefix(120).dropFirst(40))

        let body = RequestBody()
        body.append(ByteBuffer(bytes: json.prefix(100)))  // in two parts, as a connection may read it
        body.append(ByteBuffer(bytes: json.dropFirst(100)))
        let assembled = body.bytes == json  // (compared outside #expect: a failure would print the key)
        #expect(assembled)
        let request = HTTPRequest(method: "POST", uri: "/v1/modes/live/rotation", headers: [:], body: body, peer: operatorPeer)
        let response = await fixture.router.respond(to: request)
        #expect(response.status == 201, "\(String(buffer: response.body))")
        #expect(body.isWiped, "the body still holds bytes after the answer")
        #expect(!Self.contains(body.bytes, markerBytes))

        // A refused request (no role) is wiped too.
        let refusedBody = RequestBody(json)
        let refused = await fixture.router.respond(
            to: HTTPRequest(method: "POST", uri: "/v1/modes/live/rotation", headers: [:], body: refusedBody, peer: RouterFixture.peer(4999))
        )
        #expect(refused.status == 403 && refusedBody.isWiped)
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { Array(haystack[$0..<$0 + needle.count]) == needle }
    }
}
