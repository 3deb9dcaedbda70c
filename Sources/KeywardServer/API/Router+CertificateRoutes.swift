import Foundation
import KeywardAPI
import KeywardCore
import KeywardCrypto

// Certificate mode (docs/certificates.md): the platform side as three files, the CSR of a
// pending rotation, and Alipay's certificate renewals.
extension Router {
    /// The platform side of a request: a public key, or the three certificate files; exactly
    /// one of the two.
    static func platformCredential(platformKey: String?, certificates: CertificateFiles?) throws -> PlatformCredential {
        switch (platformKey, certificates) {
        case (let key?, nil):
            return .publicKey(try RSAPublicKey(parsing: key))
        case (nil, let files?):
            func read(_ text: String, _ name: String) throws -> [X509Certificate] {
                do {
                    return try X509Certificate.all(in: Array(text.utf8))
                } catch let error as CryptoError {
                    throw CryptoError(code: error.kind, message: "\(name): \(error.message)", hint: error.hint)
                }
            }
            return .certificates(
                try PlatformCertificates(
                    app: try read(files.appCertificate, "appCertificate"), alipay: [try read(files.alipayCertificate, "alipayCertificate")],
                    root: try read(files.alipayRootCertificate, "alipayRootCertificate")))
        case (nil, nil):
            throw APIError(
                code: .missingField, message: "the request gives neither 'platformKey' nor 'certificates'",
                hint: "public key mode: the Alipay public key; certificate mode: the three certificate files")
        case (.some, .some):
            throw APIError(
                code: .badField, message: "the request gives both 'platformKey' and 'certificates'",
                hint: "give one: 'platformKey' in public key mode, 'certificates' in certificate mode")
        }
    }

    /// `POST /v1/modes/{mode}/rotation/csr`: a CSR over the pending rotation's merchant key,
    /// so that a key Keyward generated never leaves it, even in certificate mode.
    func rotationCSR(_ call: RouteCall) async throws -> HTTPResponse {
        let body = try body(of: Endpoints.rotationCSR, call)
        guard let pending = await service.contents()[call.mode].pending else {
            throw RotationError(
                code: .nonePending, message: "\(call.mode) mode has no pending rotation to make a CSR for",
                hint: "begin one: keywardctl rotate \(call.mode) --generate")
        }
        let subject = CertificateRequest.Subject(
            country: body.country ?? "CN", state: body.state ?? "", locality: body.locality ?? "", organization: body.organization ?? "",
            organizationalUnit: body.organizationalUnit ?? "", commonName: body.commonName)
        let key = pending.merchantPrivateKey
        let pem = try await service.keyWork.run { try CertificateRequest.pem(for: key, subject: subject) }
        return try reply(
            Endpoints.rotationCSR, CSRAnswer(mode: call.mode, csrPem: pem, merchantKeyFingerprint: key.publicKey.fingerprint.hex))
    }

    /// `POST /v1/modes/{mode}/alipay-certificates`: Alipay renewed its certificate; the new one
    /// is served beside the old, both by SN (under two-person control, a request).
    func addAlipayCertificate(_ call: RouteCall) async throws -> HTTPResponse {
        let body = try body(of: Endpoints.addAlipayCertificate, call)
        let certificates = try X509Certificate.all(in: Array(body.alipayCertificate.utf8))
        let command = RotationCommand.addAlipayCertificate(certificates)
        if let pending = try await requestApproval(command, call) { return pending }
        return try await transitionResponse(
            Endpoints.addAlipayCertificate, try await service.apply(command, to: call.mode, by: call.request.peer))
    }
}
