import Foundation
import KeywardConfiguration
import KeywardCore
import KeywardCrypto

/// The message an Alipay+ request or response signature covers.
struct AlipayPlusMessage: Decodable {
    let method: String
    let path: String
    let clientId: String
    /// Request-Time for a request, Response-Time for a response.
    let time: String
    let body: String
    /// For verification: the `Signature` header value, or the bare base64 signature.
    let signature: String?

    var content: String {
        AlipayPlusSignature.content(method: method, path: path, clientID: clientId, time: time, body: body)
    }
}

/// What to sign or verify: exactly one of base64 bytes, UTF-8 text, or an Alipay+ message.
struct SigningRequest: Decodable {
    let data: String?
    let text: String?
    let alipayPlus: AlipayPlusMessage?
    let signature: String?
    let algorithm: String?

    func message() throws -> [UInt8] {
        let given = [data != nil, text != nil, alipayPlus != nil].filter { $0 }.count
        guard given == 1 else {
            throw APIError(
                status: 400, code: "request.ambiguous-message", message: "give exactly one of data (base64), text or alipayPlus",
                hint: "see docs/api.md, signing")
        }
        if let text { return Array(text.utf8) }
        if let alipayPlus { return Array(alipayPlus.content.utf8) }
        guard let decoded = Data(base64Encoded: data ?? "") else {
            throw APIError(
                status: 400, code: "request.bad-base64", message: "data is not valid base64",
                hint: "send the bytes to sign as standard base64, or use text for UTF-8")
        }
        return Array(decoded)
    }
}

extension Router {
    /// `POST /v1/keysets/{mode}/sign`: RSA2 with the current merchant private key. For an
    /// Alipay+ message, also the complete `Signature` header value.
    func sign(_ request: HTTPRequest, _ mode: Mode) async throws -> HTTPResponse {
        try await require(.signer, mode, request)
        let signing = try JSON.decode(SigningRequest.self, from: request.body)
        let message = try signing.message()
        let snapshot = service.board.current(mode)
        guard snapshot.isServed, let current = snapshot.current else { throw Self.notServed(mode) }
        let signature = Base64Text.encode(try message.withUnsafeBytes { try current.merchantPrivateKey.signature(for: $0) })
        struct Body: Encodable {
            let algorithm: String
            let keyVersion: String
            let signature: String
            let signatureHeader: String?
            let merchantKeyFingerprint: String
        }
        return try .json(
            encoding: Body(
                algorithm: "RSA2",
                keyVersion: String(current.version),
                signature: signature,
                signatureHeader: signing.alipayPlus == nil
                    ? nil : AlipayPlusSignature.headerValue(signatureBase64: signature, keyVersion: current.version),
                merchantKeyFingerprint: current.merchantPublicKey.fingerprint.hex
            )
        )
    }

    /// `POST /v1/keysets/{mode}/verify`: checks a platform signature with the current
    /// platform public key and, in the grace window, the previous one; says which matched.
    func verify(_ request: HTTPRequest, _ mode: Mode) async throws -> HTTPResponse {
        try await require(.reader, mode, request)
        let verifying = try JSON.decode(SigningRequest.self, from: request.body)
        let message = try verifying.message()
        guard
            let signatureText = verifying.alipayPlus.flatMap({ $0.signature.map(AlipayPlusSignature.signature(fromHeader:)) })
                ?? verifying.signature
        else {
            throw APIError(
                status: 400, code: "request.missing-field", message: "the JSON body has no field 'signature'",
                hint: "send the platform's signature in base64 (for Alipay+, alipayPlus.signature)")
        }
        let algorithm: SignatureAlgorithm
        switch verifying.algorithm ?? "RSA2" {
        case "RSA2", "RSA256": algorithm = .rsa2
        case "RSA": algorithm = .rsa
        case let other:
            throw APIError(
                status: 400, code: "request.bad-algorithm", message: "unknown algorithm '\(other.prefix(16))'",
                hint: "use RSA2 (SHA256withRSA) or RSA (legacy SHA1withRSA)")
        }
        let signature = try Base64Text.decodeSignature(signatureText)
        let snapshot = service.board.current(mode)
        guard snapshot.isServed, let current = snapshot.current else { throw Self.notServed(mode) }
        var candidates = [("current", current)]
        if let previous = snapshot.previous(at: await service.now()) { candidates.append(("previous", previous.keySet)) }
        /// `matched` and `keyVersion` are always present: null when no key verified it.
        struct Body: Encodable {
            let valid: Bool
            let matched: String?
            let keyVersion: String?
            let algorithm: String

            enum CodingKeys: String, CodingKey { case valid, matched, keyVersion, algorithm }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(valid, forKey: .valid)
                try container.encode(matched, forKey: .matched)
                try container.encode(keyVersion, forKey: .keyVersion)
                try container.encode(algorithm, forKey: .algorithm)
            }
        }
        for (name, keySet) in candidates
        where message.withUnsafeBytes({ keySet.platformPublicKey.isValidSignature(signature, for: $0, algorithm: algorithm) }) {
            return try .json(encoding: Body(valid: true, matched: name, keyVersion: String(keySet.version), algorithm: algorithm.rawValue))
        }
        return try .json(encoding: Body(valid: false, matched: nil, keyVersion: nil, algorithm: algorithm.rawValue))
    }
}
