import KeywardAPI

/// Whether the signing path's JSON reader and Foundation's decoder read a body the same way:
/// the same request, or the same error code. For the `json` fuzz target and the tests.
///
/// One difference is allowed, in one direction: the signing path refuses as `request.bad-json`
/// a body that breaks RFC 8259 where JSONDecoder does not look (a member it does not decode),
/// whatever JSONDecoder makes of it. It never accepts what JSONDecoder refuses.
package enum SigningJSONAgreement {
    /// nil when they agree; otherwise what each made of `body`.
    package static func disagreement(_ body: [UInt8]) -> String? {
        let scanned = outcome { try SigningRequest.scanned(from: RequestBody(body)) }
        let decoded = outcome { try JSON.decode(SigningRequest.self, from: RequestBody(body)) }
        if scanned == decoded || scanned == .refused(APIErrorCode.badJson.rawValue) { return nil }
        return "the signing path's reader gives \(scanned), Foundation's decoder \(decoded)"
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
