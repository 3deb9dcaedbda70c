import Foundation
import KeywardAPI
import KeywardConfiguration
import KeywardCore
import KeywardCrypto

extension AlipayPlusMessage {
    /// What the signature covers, with the Client-ID the request resolved to.
    func content(clientID: String) -> String {
        AlipayPlusSignature.content(method: method, path: path, clientID: clientID, time: time, body: body)
    }
}

/// What to sign or verify: exactly one of base64 bytes, UTF-8 text, or an Alipay+ message.
extension SigningRequest {
    /// The bytes to sign or verify; `clientID` is the Alipay+ message's resolved Client-ID.
    func message(clientID: String?) throws -> [UInt8] {
        let given = [data != nil, text != nil, alipayPlus != nil].filter { $0 }.count
        guard given == 1 else {
            throw APIError(
                code: .ambiguousMessage, message: "give exactly one of data (base64), text or alipayPlus",
                hint: "see docs/api.md, signing")
        }
        if let text { return Array(text.utf8) }
        if let alipayPlus, let clientID { return Array(alipayPlus.content(clientID: clientID).utf8) }
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
    func sign(_ call: RouteCall) throws -> HTTPResponse {
        let mode = call.mode
        let signing = try body(of: Endpoints.sign, call)
        let snapshot = service.board.current(mode)
        guard snapshot.isServed, let current = snapshot.current else { throw Self.notServed(mode) }
        let clientID = try signing.alipayPlus.map { try resolveClientID($0.clientId, snapshot) }
        let message = try signing.message(clientID: clientID)
        let signature = Base64Text.encode(try message.withUnsafeBytes { try current.merchantPrivateKey.signature(for: $0) })
        return reply(
            Endpoints.sign,
            SignAnswer(
                algorithm: "RSA2",
                keyVersion: String(current.version),
                signature: signature,
                signatureHeader: clientID == nil
                    ? nil
                    : AlipayPlusSignature.headerValue(signatureBase64: signature, keyVersion: snapshot.account?.platformKeyVersion?.value),
                clientId: clientID,
                merchantKeyFingerprint: current.merchantPublicKey.fingerprint.hex
            )
        )
    }

    /// `POST /v1/keysets/{mode}/verify`: checks a platform signature with the current
    /// platform public key and, in the grace window, the previous one; says which matched.
    func verify(_ call: RouteCall) async throws -> HTTPResponse {
        let mode = call.mode
        let verifying = try body(of: Endpoints.verify, call)
        let clientID = try verifying.alipayPlus.map { try resolveClientID($0.clientId, service.board.current(mode)) }
        let message = try verifying.message(clientID: clientID)
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
        var sets = [(MatchedKey.current, current)]
        if let previous = snapshot.previous(at: await service.now()) { sets.append((.previous, previous.keySet)) }
        // Certificate mode: the Alipay certificate named by the response's alipay_cert_sn, or
        // (none named) every certificate in use, newest first.
        var candidates: [(MatchedKey, KeySet, RSAPublicKey, String?)] = []
        for (name, keySet) in sets {
            guard let certificates = keySet.certificates else {
                candidates.append((name, keySet, keySet.platformPublicKey, nil))
                continue
            }
            for file in certificates.alipay.reversed() where verifying.alipayCertSN == nil || verifying.alipayCertSN == file.sn {
                if let key = file.leaf.rsaPublicKey { candidates.append((name, keySet, key, file.sn)) }
            }
        }
        if let sn = verifying.alipayCertSN, candidates.isEmpty {
            throw CertificateError(
                code: .unknownSN,
                message: "no Alipay certificate in use in \(mode) mode has the SN '\(sn.prefix(40))'",
                hint:
                    "Alipay renewed its certificate: download it (alipay.open.app.alipaycert.download, or the dashboard) and add it: keywardctl alipay-cert \(mode) --alipay-cert FILE"
            )
        }
        for (name, keySet, key, sn) in candidates
        where message.withUnsafeBytes({ key.isValidSignature(signature, for: $0, algorithm: algorithm) }) {
            return try reply(
                Endpoints.verify,
                VerifyAnswer(
                    valid: true, matched: name, keyVersion: String(keySet.version), algorithm: algorithm.rawValue, alipayCertSN: sn))
        }
        return try reply(Endpoints.verify, VerifyAnswer(valid: false, matched: nil, keyVersion: nil, algorithm: algorithm.rawValue))
    }

    /// The Client-ID an Alipay+ message is signed or verified with: the mode's when none is
    /// given; a given one must be the mode's, and is refused when it belongs to the other mode
    /// or to the other environment (a sandbox ID in live mode).
    private func resolveClientID(_ given: String?, _ snapshot: PublishedKeySet) throws -> String {
        let mode = snapshot.mode
        let configured = snapshot.account?.clientID?.value
        guard let given else {
            guard let configured else {
                throw APIError(
                    code: .missingField, message: "\(mode) mode has no Client-ID and the message gives none",
                    hint: "give alipayPlus.clientId, or set the mode's: keywardctl setup \(mode) --client-id …")
            }
            return configured
        }
        func mismatch(_ why: String) -> APIError {
            APIError(
                code: .identityClientIdMismatch, message: "the Client-ID '\(given.prefix(64))' \(why)",
                hint: configured.map { "\(mode) mode signs as \($0): leave clientId out to use it" }
                    ?? "sign with \(mode) mode's own Client-ID (keywardctl setup \(mode) --client-id …)")
        }
        if let configured, given != configured { throw mismatch("is not \(mode) mode's (\(configured))") }
        if mode == .live && given.hasPrefix(ClientID.sandboxPrefix) {
            throw mismatch("is a sandbox Client-ID; live mode signs production requests")
        }
        if given == service.board.current(mode.other).account?.clientID?.value { throw mismatch("is \(mode.other) mode's") }
        return given
    }
}
