import Foundation
import KeywardAPI
import KeywardCore
import KeywardCrypto
import KeywardServer
import Testing

/// The daemon's error answers are the one envelope keywardctl decodes (KeywardAPI).
@Suite("the error envelope")
struct ErrorEnvelopeTests {
    @Test("an APIError's body decodes as KeywardAPI's ErrorEnvelope with its code, message and hint")
    func roundTrip() throws {
        let error = APIError(RotationError(code: .nonePending, message: "test mode has no pending rotation", hint: "begin one"))
        #expect(error.status == 404)
        let envelope = try JSONDecoder().decode(ErrorEnvelope.self, from: Data(error.body))
        #expect(envelope == ErrorEnvelope(code: "rotation.none-pending", message: "test mode has no pending rotation", hint: "begin one"))
    }
}
