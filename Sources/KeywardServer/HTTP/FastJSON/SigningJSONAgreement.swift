import KeywardAPI

/// Whether the signing path's JSON reader and Foundation's decoder read a body the same way:
/// the same request, or the same error code. For the `json` fuzz target and the tests.
package enum SigningJSONAgreement {
    /// nil when they agree; otherwise what each made of `body`.
    package static func disagreement(_ body: [UInt8]) -> String? {
        let scanned = outcome { try SigningRequest.scanned(from: RequestBody(body)) }
        let decoded = outcome { try JSON.decode(SigningRequest.self, from: RequestBody(body)) }
        return scanned == decoded ? nil : "the signing path's reader gives \(scanned), Foundation's decoder \(decoded)"
    }

    private enum Outcome: Equatable, CustomStringConvertible {
        case request(SigningRequest)
        case refused(String)

        var description: String {
            switch self {
            case .request: "a request"
            case .refused(let code): "the error \(code)"
            }
        }
    }

    private static func outcome(_ read: () throws -> SigningRequest) -> Outcome {
        do {
            return .request(try read())
        } catch {
            return .refused(APIError(error).errorCode.rawValue)
        }
    }
}
