import Foundation
import KeywardAPI
import KeywardConfiguration
import KeywardCore
import KeywardCrypto

extension AlipayPlusMessage {
    /// What the signature covers.
    var content: String {
        AlipayPlusSignature.content(method: method, path: path, clientID: clientId, time: time, body: body)
    }
}

/// What to sign or verify: exactly one of base64 bytes, UTF-8 text, or an Alipay+ message.
extension SigningRequest {
    func message() throws -> [UInt8] {
        let given = [data != nil, text != nil, alipayPlus != nil].filter { $0 }.count
        guard given == 1 else {
            throw APIError(
                code: .ambiguousMessage, message: "give exactly one of data (base64), text or alipayPlus",
                hint: "see docs/api.md, signing")
        }
        if let text { return Array(text.utf8) }
        if let alipayPlus { return Array(alipayPlus.content.utf8) }
        guard let decoded = Data(base64Encoded: data ?? "") else {
            throw APIError(
                code: .badBase64, message: "data is not valid base64",
                hint: "send the bytes to sign as standard base64, or use text for UTF-8")
        }
        return Array(decoded)
    }
}

extension Router {
    /// `POST /v1/keysets/{mode}/sign`: RSA2 with the current merchant private key. For an
    /// Alipay+ message, also the complete `Signature` header value.
    func sign(_ call: RouteCall) async throws -> HTTPResponse {
        let mode = call.mode
        let signing = try body(of: Endpoints.sign, call)
        let message = try signing.message()
        let snapshot = service.board.current(mode)
        guard snapshot.isServed, let current = snapshot.current else { throw Self.notServed(mode) }
        let signature = Base64Text.encode(try message.withUnsafeBytes { try current.merchantPrivateKey.signature(for: $0) })
        return try reply(
            Endpoints.sign,
            SignAnswer(
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
    func verify(_ call: RouteCall) async throws -> HTTPResponse {
        let mode = call.mode
        let verifying = try body(of: Endpoints.verify, call)
        let message = try verifying.message()
        guard
            let signatureText = verifying.alipayPlus.flatMap({ $0.signature.map(AlipayPlusSignature.signature(fromHeader:)) })
                ?? verifying.signature
        else {
            throw APIError(
                code: .missingField, message: "the JSON body has no field 'signature'",
                hint: "send the platform's signature in base64 (for Alipay+, alipayPlus.signature)")
        }
        let algorithm: SignatureAlgorithm
        switch verifying.algorithm ?? "RSA2" {
        case "RSA2", "RSA256": algorithm = .rsa2
        case "RSA": algorithm = .rsa
        case let other:
            throw APIError(
                code: .badAlgorithm, message: "unknown algorithm '\(other.prefix(16))'",
                hint: "use RSA2 (SHA256withRSA) or RSA (legacy SHA1withRSA)")
        }
        let signature = try Base64Text.decodeSignature(signatureText)
        let snapshot = service.board.current(mode)
        guard snapshot.isServed, let current = snapshot.current else { throw Self.notServed(mode) }
        var candidates = [(MatchedKey.current, current)]
        if let previous = snapshot.previous(at: await service.now()) { candidates.append((.previous, previous.keySet)) }
        for (name, keySet) in candidates
        where message.withUnsafeBytes({ keySet.platformPublicKey.isValidSignature(signature, for: $0, algorithm: algorithm) }) {
            return try reply(
                Endpoints.verify,
                VerifyAnswer(valid: true, matched: name, keyVersion: String(keySet.version), algorithm: algorithm.rawValue))
        }
        return try reply(Endpoints.verify, VerifyAnswer(valid: false, matched: nil, keyVersion: nil, algorithm: algorithm.rawValue))
    }
}
